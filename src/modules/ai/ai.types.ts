import { Length, IsOptional, MaxLength } from 'class-validator';
import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Severity } from '../incidents/incident.enums.js';
import { UuidScalar } from '../../graphql/scalars.js';

@InputType()
export class ClassifyIncidentInput {
  @Field()
  @Length(1, 300)
  title: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(20000)
  description?: string | null;

  @Field(() => UuidScalar, { nullable: true, description: 'The service, when known: its name is part of what the model reads' })
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

  @Field(() => String, { nullable: true, description: 'Why the configured model was not used (timeout, rate_limited, server_error, model_error, unreachable, malformed_output)' })
  fallbackReason: string | null;
}
