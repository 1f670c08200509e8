import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One request counter of the rate limiter (src/http/rate-limit.ts). The table has the layout rate-limiter-flexible's
 * PostgreSQL store expects; it is declared here so that the migrations create it, and only the limiter touches it.
 */
@Entity({ tableName: 'rate_limits' })
export class RateLimitCounter {
  @PrimaryKey({ type: 'varchar', length: 255 })
  key: string;

  @Property({ type: 'integer', default: 0 })
  points: number = 0;

  /** Epoch milliseconds when the window ends. */
  @Property({ type: 'bigint', nullable: true })
  expire?: string | null;
}
