/* global rs, print, sleep, process -- mongosh provides them */
// Initiates the replica set REPLICA_SET with the members MEMBERS (host:port, comma-separated),
// unless it is initiated already, and waits until it has a primary. mongosh runs it connected
// directly to the first member. Safe to run any number of times, also twice at once.
const name = process.env.REPLICA_SET;
const members = (process.env.MEMBERS || '').split(',').filter((host) => host !== '');
if (!name || members.length === 0) {
  throw new Error('Set REPLICA_SET (e.g. rs0) and MEMBERS (host:port of each member, comma-separated).');
}

function currentStatus() {
  try {
    return rs.status();
  } catch (error) {
    // NotYetInitialized: a fresh member. Anything else (unreachable...) fails this run, to be retried.
    if (error.code === 94) return null;
    throw error;
  }
}

if (currentStatus() === null) {
  try {
    rs.initiate({ _id: name, members: members.map((host, index) => ({ _id: index, host })) });
    print(`replica set ${name} initiated with ${members.join(', ')}`);
  } catch (error) {
    // AlreadyInitialized: another run got there first.
    if (error.code !== 23) throw error;
  }
} else {
  print(`replica set ${name} is initiated already: nothing to do`);
}

const deadline = Date.now() + 120000;
for (;;) {
  const status = currentStatus();
  const primary = status && status.members.find((member) => member.stateStr === 'PRIMARY');
  if (primary) {
    print(`replica set ${name}: primary ${primary.name}`);
    break;
  }
  if (Date.now() > deadline) throw new Error(`replica set ${name} has no primary after 120 s`);
  sleep(1000);
}
