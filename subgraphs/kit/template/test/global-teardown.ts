export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__testDatabase as (() => Promise<void>) | undefined)?.();
}
