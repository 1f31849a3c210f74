package hub.database;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * The H2 backend, made to acknowledge a write only once it is in the store's file.
 *
 * <p>The library's backend leaves writes in memory until the MVStore's background writer stores
 * them (about a second later), so a killed process loses writes its clients were told had
 * succeeded. Here every command that may write is followed by a commit before its reply goes out;
 * the commit runs in a finally block, so a failed or partly applied write (an ordered insert that
 * stopped at a duplicate key) is stored as far as it went, as MongoDB would keep it.
 *
 * <p>The store must be opened with its background writer off (see Main): a background store hands
 * the file write to another thread and clears the "unsaved" state first, so a commit made at that
 * moment would find nothing to do and acknowledge a write still on its way to the file. With no
 * background writer every store is written before commit() returns, and commit() waits for a store
 * another thread is making, so a write is in the file whichever thread's commit carried it.
 *
 * <p>Commit, not fsync, is what survives kill -9: the written bytes are in the operating system's
 * page cache, which outlives the process (infra/database/durability.int.test.ts shows it through a
 * subgraph; killing the library's own backend the same way lost 125 of 149 acknowledged inserts).
 * fsync (MVStore.sync, the --fsync flag) would add survival of an operating system crash or power
 * loss, which a database for one machine's development and tests does not need; production runs
 * MongoDB, whose journal covers that. Measured on the 2-core machine, shared, so in ranges: 8
 * connections inserting single documents / one connection updating one document in turn, writes/s:
 * library default (background writer, about a second of writes at risk) 350-1400 / 700-1350;
 * commit per write (this class) 160-700 / 430-700; commit and fsync per write 100-460 / 80-260.
 *
 * <p>Each commit writes a small chunk (~20 KB); the store keeps replaced chunks for its retention
 * time (45 s) before reusing their space, so under a burst of writes the file holds up to 45 s of
 * chunks (tens to hundreds of MB) until the store is closed, which compacts it (see close).
 */
final class DurableH2Backend extends H2Backend {

    /**
     * Commands that never change stored data; anything else (including commands this list does not
     * know) is committed. Lower case: the wire protocol's command names are case-insensitive.
     */
    private static final Set<String> READ_ONLY = Set.of(
        "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
        "ping", "hello", "ismaster", "buildinfo", "serverstatus", "whatsmyuri", "endsessions",
        "killcursors", "dbstats", "collstats", "validate", "getlasterror", "reseterror",
        "connectionstatus", "hostinfo", "getcmdlineopts", "getfreemonitoringstatus", "getlog",
        "replsetgetstatus", "getparameter", "explain");

    /** MVStore.close's bound on compaction time; -1 compacts fully. */
    private static final int COMPACT_ON_CLOSE_MS = -1;

    private final MVStore store;
    private final boolean fsync;

    DurableH2Backend(MVStore store, boolean fsync) {
        super(store);
        this.store = store;
        this.fsync = fsync;
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        boolean mayWrite = mayWrite(command, query);
        try {
            return super.handleCommand(channel, databaseName, command, query);
        } finally {
            // An exception thrown here replaces the reply, so a write that could not be stored is
            // answered with an error instead of an acknowledgement.
            if (mayWrite) persist();
        }
    }

    /**
     * A clean stop (SIGTERM, or the parent gone) is when the file is compacted: the background
     * writer that would otherwise rewrite sparse chunks in passing is off, and a commit per write
     * leaves many (3,200 inserts and updates: 151 MB before the stop, 0.3 MB after, in 0.7 s; a
     * one-second bound left 30 MB). Should a large store take longer than the launcher's grace
     * period, its SIGKILL only cuts the rewriting short: every write is already committed.
     */
    @Override
    public void close() {
        store.close(COMPACT_ON_CLOSE_MS);
        super.close();
    }

    private void persist() {
        store.commit();
        if (fsync) store.sync();
    }

    private static boolean mayWrite(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) return writesOutput(query.get("pipeline"));
        return !READ_ONLY.contains(name);
    }

    // An aggregation writes only through its last stage ($out or $merge).
    private static boolean writesOutput(Object pipeline) {
        if (!(pipeline instanceof List<?> stages) || stages.isEmpty()) return false;
        Object last = stages.get(stages.size() - 1);
        return last instanceof Document stage && (stage.containsKey("$out") || stage.containsKey("$merge"));
    }
}
