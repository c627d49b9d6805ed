import { Module } from '@nestjs/common';

export const SERVICE_NAME = 'facility-construction';

/**
 * Community service facilities and their construction and funding (rules FAC-1..8, FUND-1..2).
 * Empty until its issues land: the service already runs, so that /health, /docs and the launcher
 * are in place.
 */
@Module({})
export class FacilityConstructionModule {}
