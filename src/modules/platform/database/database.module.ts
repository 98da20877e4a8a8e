import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { APP_CONFIG } from '../../../config/config.module.js';
import { type AppConfig } from '../../../config/app-config.js';
import { AppLogger } from '../logging/app-logger.js';
import { DatabaseHealth } from './database.health.js';
import { migrateDatabase } from './migrate.js';
import { DatabaseNotifications } from './notifications.js';
import { createOrmOptions } from './orm-config.js';
import { StoreDatabase } from './store-db.js';

@Injectable()
class OrmShutdown implements OnApplicationShutdown {
  constructor(private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close(true);
  }
}

/** The case store: one MikroORM instance per process, migrated at start, closed at shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: MikroORM,
      inject: [APP_CONFIG, AppLogger],
      useFactory: async (config: AppConfig, logger: AppLogger) => {
        if (config.database.migrateOnStart) {
          const applied = await migrateDatabase(config.database);
          logger.log({ msg: 'database migrated', applied }, 'Database');
        }
        return MikroORM.init(createOrmOptions(config.database));
      },
    },
    OrmShutdown,
    DatabaseHealth,
    StoreDatabase,
    DatabaseNotifications,
  ],
  exports: [MikroORM, DatabaseHealth, StoreDatabase, DatabaseNotifications],
})
export class DatabaseModule {}

