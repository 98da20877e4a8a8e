import { readFileSync } from 'node:fs';
import { type AppConfig } from '../../../config/app-config.js';

/** Connection settings shared by the client (API) and the native connection (worker). */
export interface TemporalConnectionSettings {
  address: string;
  tls?: {
    clientCertPair: { crt: Buffer; key: Buffer };
    serverRootCACertificate?: Buffer;
    serverNameOverride?: string;
  };
  apiKey?: string;
}

export function temporalConnectionSettings(temporal: AppConfig['temporal']): TemporalConnectionSettings {
  const settings: TemporalConnectionSettings = { address: temporal.address };
  if (temporal.tls) {
    settings.tls = {
      clientCertPair: { crt: readFileSync(temporal.tls.certPath), key: readFileSync(temporal.tls.keyPath) },
      serverRootCACertificate: temporal.tls.caPath ? readFileSync(temporal.tls.caPath) : undefined,
      serverNameOverride: temporal.tls.serverName,
    };
  }
  if (temporal.apiKey) settings.apiKey = temporal.apiKey;
  return settings;
}
