import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { type ComponentHealth, probeWithin } from '../health/component-health.js';

@Injectable()
export class DatabaseHealth {
  constructor(private readonly orm: MikroORM) {}

  check(timeoutMs: number): Promise<ComponentHealth> {
    return probeWithin(timeoutMs, async () => {
      await this.orm.em.fork().getConnection().execute('select 1');
    });
  }
}
