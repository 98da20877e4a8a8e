interface Shared {
  server?: { stop(): Promise<void> };
  users: number;
}

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as { __temporalTestServer?: Shared }).__temporalTestServer;
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0 || !shared.server) return;
  await shared.server.stop();
  shared.server = undefined;
}
