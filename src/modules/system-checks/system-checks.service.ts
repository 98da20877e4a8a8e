import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type SystemCheck, SystemCheckSchema } from './system-check.entity.js';

@Injectable()
export class SystemChecksService {
  constructor(private readonly orm: MikroORM) {}

  /** Writes the check once: a retried activity finds the first row and returns it unchanged. */
  async record(check: {
    id: string;
    workflowId: string;
    requestedAt: Date;
    workerIdentity: string;
    requestedBySubject: string;
    requestedByRole: string;
  }): Promise<SystemCheck> {
    const em = this.orm.em.fork();
    await em.upsert(
      SystemCheckSchema,
      { ...check, recordedAt: new Date() },
      { onConflictFields: ['workflowId'], onConflictAction: 'ignore', disableIdentityMap: true },
    );
    return em.findOneOrFail(SystemCheckSchema, { workflowId: check.workflowId });
  }

  find(id: string): Promise<SystemCheck | null> {
    return this.orm.em.fork().findOne(SystemCheckSchema, { id });
  }
}
