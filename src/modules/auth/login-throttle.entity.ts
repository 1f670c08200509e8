import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed login attempts per throttle key: `pair:<email>|<address>`, `address:<address>` or `account:<email>` (the
 * normalized email, whether or not such a user exists). See AuthService for the rules.
 */
@Entity({ tableName: 'login_throttles' })
export class LoginThrottle {
  @PrimaryKey({ type: 'text' })
  accountKey: string;

  @Property({ type: 'int' })
  failures: number;

  @Property({ type: 'timestamptz', nullable: true })
  blockedUntil?: Date | null;

  @Property({ type: 'timestamptz' })
  lastFailureAt: Date;
}
