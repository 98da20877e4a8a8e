import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccessTokenVerifier } from '../modules/platform/access/access-token.verifier.js';
import { AccessGuard } from './access/access.guard.js';
import { RateLimiter, RequestLimits } from './access/rate-limiter.js';
import { RateLimitStore } from '../modules/platform/access/rate-limit.store.js';
import { type AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../modules/platform/database/database.module.js';
import { AppLogger } from '../modules/platform/logging/app-logger.js';
import { LoggingModule } from '../modules/platform/logging/logging.module.js';
import { AlertsModule } from '../modules/alerts/alerts.module.js';
import { AuditModule } from '../modules/audit/audit.module.js';
import { ContactCasesModule } from '../modules/contact-cases/contact-cases.module.js';
import { SystemChecksModule } from '../modules/system-checks/system-checks.module.js';
import { MiModule } from '../modules/mi/mi.module.js';
import { MiController } from './mi/mi.controller.js';
import { MiPageController } from './pages/mi-page.controller.js';
import { DeskPageController } from './pages/desk-page.controller.js';
import { BrowserSignInController } from './pages/browser-sign-in.controller.js';
import { TemporalClientModule } from '../modules/platform/temporal/temporal-client.module.js';
import { AccessLogMiddleware } from './common/access-log.middleware.js';
import { ErrorFilter, RouteMethods } from './common/error.filter.js';
import { AlertsController } from './alerts/alerts.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { CallerLookupsController } from './callers/caller-lookups.controller.js';
import { CodecController } from './codec/codec.controller.js';
import { ContactsController } from './contacts/contacts.controller.js';
import { HealthController } from './health/health.controller.js';
import { SystemChecksController } from './system-checks/system-checks.controller.js';
import { DrillsController } from './drills/drills.controller.js';
import { PresenceController } from './presence/presence.controller.js';
import { PresenceModule } from '../modules/presence/presence.module.js';
import { SatisfactionModule } from '../modules/satisfaction/satisfaction.module.js';
import { SurveyPageController } from './surveys/survey-page.controller.js';
import { SurveysController } from './surveys/surveys.controller.js';
import { ContinuityDrillsModule } from '../modules/continuity-drills/continuity-drills.module.js';
import { ConversationsModule } from '../modules/conversations/conversations.module.js';
import { ChannelsController } from './conversations/channels.controller.js';
import { SocialMediaController } from './conversations/social-media.controller.js';
import { PlatformSignatureGuard } from './conversations/platform-signature.guard.js';
import { TelemetryModule } from '../modules/platform/telemetry/telemetry.module.js';

/** The API process: stateless HTTP in front of Temporal and the case store. */
@Module({})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessLogMiddleware).forRoutes('{*path}');
  }

  static forRoot(config: AppConfig, logger: AppLogger) {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule,
        TemporalClientModule,
        SystemChecksModule,
        ContinuityDrillsModule,
        ContactCasesModule,
        AuditModule,
        AlertsModule,
        MiModule,
        PresenceModule,
        SatisfactionModule,
        ConversationsModule,
        TelemetryModule,
      ],
      controllers: [HealthController, ContactsController, CallerLookupsController, AlertsController, SystemChecksController, DrillsController, CodecController, AuditController, MiController, MiPageController, DeskPageController, BrowserSignInController, ChannelsController, SocialMediaController, PresenceController, SurveysController, SurveyPageController],
      providers: [
        AccessTokenVerifier,
        RateLimiter,
        RateLimitStore,
        RequestLimits,
        RouteMethods,
        PlatformSignatureGuard,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
      ],
    };
  }
}
