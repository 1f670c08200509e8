import { Length, IsOptional, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Severity } from '../../modules/incidents/incident.enums.js';
import { UuidScalar } from '../../core/scalars.js';

@InputType()
export class ClassifyIncidentInput {
  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => UuidScalar, {
    nullable: true,
    description: 'The service, when known: its name is part of what the model reads',
  })
  serviceId?: string | null;
}

@ObjectType({ description: "The classifier's suggestion for an incident's severity and owner" })
export class Classification {
  @Field(() => Severity)
  severity: Severity;

  @Field(() => Float, { description: 'Calibrated probability (0–1) that the severity is right' })
  confidence: number;

  @Field({ description: 'The evidence: severity cues in the text and the most similar past incidents' })
  reasoning: string;

  @Field(() => ID, { nullable: true })
  suggestedTeamId: string | null;

  @Field(() => ID, { nullable: true })
  suggestedServiceId: string | null;

  @Field({ description: 'The model that answered: the configured chat model, or the embedded classifier' })
  model: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the configured model was not used (timeout, rate_limited, server_error, model_error, unreachable, malformed_output)',
  })
  fallbackReason: string | null;

  @Field({
    description:
      "True when the organization's model answered before its refit on the latest history (GET /ai/model-status)",
  })
  refitPending: boolean;
}

@ObjectType({ description: 'Labelled incidents per severity' })
export class SeverityCounts {
  @Field(() => Int, { description: 'P1' })
  p1: number;

  @Field(() => Int, { description: 'P2' })
  p2: number;

  @Field(() => Int, { description: 'P3' })
  p3: number;

  @Field(() => Int, { description: 'P4' })
  p4: number;
}

@ObjectType({
  description: "The caller's organization's severity model and similar-incident index, as they answer now",
})
export class ModelStatus {
  @Field({ description: 'The embedded severity model every answer starts from' })
  model: string;

  @Field({ description: 'When its regression and calibration were last fitted' })
  trainedAt: Date;

  @Field(() => Int, {
    description:
      'Labelled incidents the model learns from (severities people set or confirmed; at most the 5 000 most recent)',
  })
  historySize: number;

  @Field(() => Int, {
    description:
      'Of those, the incidents its regression and calibration were fitted on (fewer while a refit is pending)',
  })
  trainedOn: number;

  @Field(() => SeverityCounts)
  examplesPerSeverity: SeverityCounts;

  @Field({ description: 'True when the history changed since the last fit and a refit is running or due' })
  refitPending: boolean;

  @Field(() => Int, { description: "Incidents in the organization's similar-incident index (its stored embeddings)" })
  similarIndexSize: number;

  @Field({
    description: 'Whether this process has the index in memory (it is loaded on the first similar-incident query)',
  })
  similarIndexLoaded: boolean;
}

export enum EmbeddingJobState {
  pending = 'pending',
  running = 'running',
  failed = 'failed',
  done = 'done',
}

registerEnumType(EmbeddingJobState, {
  name: 'EmbeddingJobState',
  description:
    'pending: incidents wait for the job; running: batches are being embedded; failed: the last batch failed (retried at the next run); done: every incident is embedded by the model',
});

@ObjectType({
  description: "The re-embedding of the caller's organization by the configured embedding model (docs/AI.md)",
})
export class EmbeddingStatus {
  @Field({ description: 'The configured embedding model: the OpenAI-compatible one, else the embedded model' })
  model: string;

  @Field(() => Int, { description: "The organization's incidents" })
  total: number;

  @Field(() => Int, { description: 'Incidents embedded by the model' })
  done: number;

  @Field(() => EmbeddingJobState)
  state: EmbeddingJobState;

  @Field(() => Date, { nullable: true, description: 'When the current pass for this model started' })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last batch failed' })
  lastError: string | null;
}
