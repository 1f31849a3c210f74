package hub.database;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoServer;

/**
 * The hub's embedded MongoDB-compatible database: mongo-java-server over an H2 MVStore file, on
 * loopback only.
 *
 * <p>Protocol with the launcher (infra/database/launch.ts), the same as the FerretDB engine's:
 * <ul>
 * <li>prints one line "READY mongodb://127.0.0.1:PORT/" on stdout once it accepts connections;</li>
 * <li>exits when its standard input closes, so it never outlives its parent;</li>
 * <li>on SIGTERM or SIGINT stops accepting clients and closes the store cleanly.</li>
 * </ul>
 *
 * <p>Arguments: --data-dir DIR (required), --port N (0 picks a free one), --log-level
 * off|error|warn|info|debug (off by default: the library logs every client connection, and every
 * refused command with its stack trace, although the client gets the error anyway), --fsync (also
 * fsync after each commit; only for measuring what that costs, see DurableH2Backend).
 */
public final class Main {

    static final String STORE_FILE = "mongo-java-server.mv.db";

    private static final Set<String> LOG_LEVELS = Set.of("off", "error", "warn", "info", "debug");

    private Main() {
    }

    public static void main(String[] args) {
        Path dataDir = null;
        int port = 0;
        String logLevel = "off";
        boolean fsync = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir")).toAbsolutePath();
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                case "--log-level" -> logLevel = value(args, ++i, "--log-level");
                case "--fsync" -> fsync = true;
                default -> fail("unknown argument " + args[i]);
            }
        }
        if (dataDir == null) fail("--data-dir is required");
        if (!LOG_LEVELS.contains(logLevel)) fail("--log-level must be one of " + LOG_LEVELS + ", not " + logLevel);

        // Read by SLF4J's simple provider when the first logger is created, which is below.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            fail("cannot create " + dataDir + ": " + e.getMessage());
        }

        // No background writer: DurableH2Backend stores every write itself before acknowledging it.
        MVStore store = new MVStore.Builder()
            .fileName(dataDir.resolve(STORE_FILE).toString())
            .autoCommitDisabled()
            .open();
        MongoServer server = new MongoServer(new DurableH2Backend(store, fsync));
        server.bind(new InetSocketAddress("127.0.0.1", port));

        // Runs on SIGTERM, SIGINT and System.exit alike; shutdownNow closes the backend and with it
        // the store, which writes what is left and leaves a file that opens without recovery.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));

        Thread parentWatch = new Thread(() -> {
            drain(System.in);
            System.exit(0);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();

        System.out.println("READY mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/");
        System.out.flush();
    }

    // Returns at end of file, which is when the parent closed its end of the pipe or died.
    private static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // Nothing is ever sent; reading only waits for the end.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of file.
        }
    }

    private static String value(String[] args, int index, String name) {
        if (index >= args.length) fail(name + " needs a value");
        return args[index];
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65_535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        fail("--port must be a number from 0 to 65535, not " + text);
        return -1;
    }

    private static void fail(String message) {
        System.err.println("mongo-java-server: " + message);
        System.exit(2);
    }
}
