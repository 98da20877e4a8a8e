interface Shared {
  temporal?: { stop(): Promise<void> };
  database?: { stop(): Promise<void> };
  users: number;
}

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as { __testServers?: Shared }).__testServers;
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  await shared.temporal?.stop();
  await shared.database?.stop();
  shared.temporal = undefined;
  shared.database = undefined;
}
