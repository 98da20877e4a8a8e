import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type ContactPolicy } from '../../domain/policy.js';
import { AppLogger } from '../platform/logging/app-logger.js';
import { type LoadedPolicy, loadPolicyFile } from './policy.loader.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { recordPolicyVersion } from './policy-version.store.js';

export class PolicyVersionConflictError extends Error {
  constructor(version: string) {
    super(`Policy version ${version} is already recorded with different content: a changed policy needs a new version`);
    this.name = 'PolicyVersionConflictError';
  }
}

/**
 * The policy new cases open under, read and validated once at start. Its version is recorded in
 * the case store with its content's hash; a file whose version is recorded with other content is
 * refused, so a version always means one policy.
 */
@Injectable()
export class PolicyService implements OnApplicationBootstrap {
  private readonly loaded: LoadedPolicy;
  private recorded: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: StoreDatabase,
    private readonly logger: AppLogger,
  ) {
    this.loaded = loadPolicyFile(config.force.policyFile);
  }

  get current(): ContactPolicy {
    return this.loaded.policy;
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensureRecorded();
      this.logger.log({ msg: 'contact policy in force', version: this.loaded.policy.version, sha256: this.loaded.sha256 }, 'Policy');
    } catch (error) {
      if (error instanceof PolicyVersionConflictError) throw error;
      // The case store may be down at start: health reports it, and the first intake checks again.
      this.logger.warn({ msg: 'contact policy not yet checked against the case store', version: this.loaded.policy.version, error: (error as Error).name }, 'Policy');
    }
  }

  /** Records the policy's version (once per process) and refuses one recorded with other content. */
  ensureRecorded(): Promise<void> {
    this.recorded ??= this.record().catch((error: unknown) => {
      this.recorded = null;
      throw error;
    });
    return this.recorded;
  }

  private async record(): Promise<void> {
    const { sha256, recordedSha256 } = await recordPolicyVersion(this.store, this.loaded.policy);
    if (recordedSha256 !== sha256) throw new PolicyVersionConflictError(this.loaded.policy.version);
  }
}
