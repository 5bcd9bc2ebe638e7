import type { Admin } from 'kafkajs';
import type { LagAdmin } from './read-consumer-lag.js';

export interface OnDemandAdmin extends LagAdmin {
  /** Disconnects the current admin client, if any (graceful shutdown, tests). */
  disconnect(): Promise<void>;
}

/**
 * A LagAdmin for a warm Lambda container: the kafkajs admin client is created and connected on
 * first use and kept for later invocations. A call that fails drops the client (disconnecting it
 * in the background), so the next call connects afresh instead of reusing a broken connection.
 */
export function onDemandAdmin(create: () => Promise<Admin> | Admin): OnDemandAdmin {
  let current: Promise<Admin> | null = null;

  const connect = (): Promise<Admin> => {
    current ??= (async () => {
      const admin = await create();
      await admin.connect();
      return admin;
    })();
    return current;
  };
  const drop = (failed: Promise<Admin>): void => {
    if (current !== failed) return;
    current = null;
    failed.then((admin) => admin.disconnect()).catch(() => undefined);
  };
  const use = async <T>(call: (admin: Admin) => Promise<T>): Promise<T> => {
    const connecting = connect();
    try {
      return await call(await connecting);
    } catch (error) {
      drop(connecting);
      throw error;
    }
  };

  return {
    listTopics: () => use((admin) => admin.listTopics()),
    listGroups: () => use((admin) => admin.listGroups()),
    fetchOffsets: (options) => use((admin) => admin.fetchOffsets(options)),
    fetchTopicOffsets: (topic) => use((admin) => admin.fetchTopicOffsets(topic)),
    disconnect: async () => {
      const connected = current;
      current = null;
      const admin = await connected?.catch(() => null);
      await admin?.disconnect();
    },
  };
}
