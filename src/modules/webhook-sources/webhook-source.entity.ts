import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../db/base.entity.js';
import { RelationField } from '../../db/relation-field.js';
import { Service } from '../services/service.entity.js';
import { Severity } from '../incidents/incident.enums.js';

export enum WebhookSourceKind {
  generic = 'generic',
  alertmanager = 'alertmanager',
  grafana = 'grafana',
}
registerEnumType(WebhookSourceKind, {
  name: 'WebhookSourceKind',
  description:
    "Which payload the source posts: Argus's own JSON, Prometheus Alertmanager's webhook, or Grafana alerting's webhook",
});

export enum WebhookVerification {
  signature = 'signature',
  bearer = 'bearer',
}
registerEnumType(WebhookVerification, {
  name: 'WebhookVerification',
  description:
    'signature: Standard Webhooks HMAC with the whsec_ secret; bearer: an `Authorization: Bearer <token>` header, for tools that cannot sign',
});

/** The REST path monitoring tools post alerts to. */
export const ingestPathOf = (id: string) => `/api/v1/webhook-sources/${id}/alerts`;

/**
 * An endpoint that a monitoring tool posts alerts to. What verifies the tool is stored but never read back: the signing
 * secret itself (an HMAC needs it) or the SHA-256 of the bearer token. Both are hidden and lazy, so they are neither
 * serialized nor even loaded unless the verifier asks for them.
 */
@ObjectType({ description: 'An inbound alert source (Alertmanager, Grafana, or anything posting the generic JSON)' })
@Entity({ tableName: 'webhook_sources' })
@Unique({ properties: ['organization', 'name'] })
export class WebhookSource extends TenantEntity<'enabled' | 'secretRotatedAt'> {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => WebhookSourceKind)
  @Enum({ items: () => WebhookSourceKind, nativeEnumName: 'webhook_source_kind' })
  kind: WebhookSourceKind;

  @Field(() => WebhookVerification)
  @Enum({ items: () => WebhookVerification, nativeEnumName: 'webhook_verification' })
  verification: WebhookVerification;

  @Field(() => Severity, {
    nullable: true,
    description: 'Severity of incidents opened by alerts that carry none; without it the classifier decides',
  })
  @Enum({ items: () => Severity, nativeEnumName: 'severity', nullable: true })
  defaultSeverity?: Severity | null;

  @RelationField(() => Service, { nullable: true })
  @ManyToOne(() => Service, { nullable: true, deleteRule: 'set null' })
  defaultService?: Service | null;

  @Field(() => ID, { nullable: true, description: 'Service of incidents opened by this source' })
  defaultServiceId(): string | null {
    return this.defaultService?.id ?? null;
  }

  @Field({ description: 'A disabled source refuses alerts (401) until enabled again' })
  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  @Field({ description: 'Path to post alerts to, e.g. POST /api/v1/webhook-sources/<id>/alerts' })
  ingestPath(): string {
    return ingestPathOf(this.id);
  }

  @Field({ description: 'When the current secret was issued (creation or the last rotation)' })
  @Property({ type: 'timestamptz' })
  secretRotatedAt: Date = new Date();

  @Field(() => Date, { nullable: true, description: 'When the source last delivered alerts that were accepted' })
  @Property({ type: 'timestamptz', nullable: true })
  lastAlertAt?: Date | null;

  /** The whsec_ secret of a `signature` source (the HMAC key must be kept to verify). */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  signingSecret?: string | null;

  /** SHA-256 (hex) of the bearer token of a `bearer` source; the token itself is never stored. */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  tokenHash?: string | null;

  /** Set only on the instance returned by create or rotate; never stored as such, never read back. */
  @Property({ persist: false, hidden: true })
  revealedSigningSecret?: string;

  /** Set only on the instance returned by create or rotate; only the token's hash is stored. */
  @Property({ persist: false, hidden: true })
  revealedBearerToken?: string;

  @Field(() => String, {
    name: 'signingSecret',
    nullable: true,
    description:
      'For a `signature` source: the whsec_ secret to sign with (Standard Webhooks); only in the create and rotate responses',
  })
  shownSigningSecret(): string | null {
    return this.revealedSigningSecret ?? null;
  }

  @Field(() => String, {
    name: 'bearerToken',
    nullable: true,
    description:
      'For a `bearer` source: the token to send as `Authorization: Bearer <token>`; only in the create and rotate responses',
  })
  shownBearerToken(): string | null {
    return this.revealedBearerToken ?? null;
  }
}
