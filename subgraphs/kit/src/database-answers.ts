// How the MongoDB driver's errors are told apart. The hub's exclusive writes (version claims,
// unique seats, the projects ledger) rest on one thing every engine enforces: an insert of a
// taken `_id` is refused with code 11000.

const DUPLICATE_KEY = 11000;

/** The insert was refused because its `_id` (or another unique key) is taken. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * Whether the database answered a write with a refusal, so that it certainly changed nothing and
 * will not later. A network error or a timeout leaves the outcome unknown, and a write concern
 * error comes after the write was applied: in those cases whatever was reserved for the write
 * must stay until it is abandoned.
 */
export function refusedByDatabase(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errorResponse } = error as { code?: unknown; errorResponse?: unknown };
  return (
    typeof code === 'number' &&
    typeof errorResponse === 'object' &&
    errorResponse !== null &&
    !('writeConcernError' in errorResponse)
  );
}
