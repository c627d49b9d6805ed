import { Module } from '@nestjs/common';

export const SERVICE_NAME = 'staffing-elections';

/**
 * Elections of residents' committees and their staffing (rules ELECT-1..5, STAFF-1..6). Empty until
 * its issues land: the service already runs, so that /health, /docs and the launcher are in place.
 */
@Module({})
export class StaffingElectionsModule {}
