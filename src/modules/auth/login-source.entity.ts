import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A client address an account has signed in from (password and second factor both right). A login from a known
 * source is not held back by the account-wide throttle, so attackers guessing from elsewhere cannot lock its owner out.
 */
@Entity({ tableName: 'login_sources' })
export class LoginSource {
  /** The normalized email. */
  @PrimaryKey({ type: 'text' })
  accountKey: string;

  /** The client address, IPv6 reduced to its /64 network. */
  @PrimaryKey({ type: 'text' })
  address: string;

  @Property({ type: 'timestamptz' })
  lastSuccessAt: Date;
}
