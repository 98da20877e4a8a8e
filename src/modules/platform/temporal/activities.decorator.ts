import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

export const ACTIVITIES_PROVIDER = Symbol('ACTIVITIES_PROVIDER');

/**
 * Marks a Nest provider whose public methods are Temporal activities. The worker discovers these
 * providers and registers each method under its own name.
 */
export const ActivitiesProvider = () => applyDecorators(Injectable(), SetMetadata(ACTIVITIES_PROVIDER, true));
