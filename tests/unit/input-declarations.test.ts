import 'reflect-metadata';
import { IsOptional, Length, MaxLength, validate } from 'class-validator';
import { Field, InputType, Resolver, Query, Arg, buildSchemaSync } from 'type-graphql';
import { printType, GraphQLInputObjectType } from 'graphql';
import { FilterAfter, FilterIn, FilterText, filterRulesOf } from '../../src/modules/list-filters';
import { PartialInputType } from '../../src/modules/partial-input';
import { ReferenceField, referenceRulesOf } from '../../src/modules/reference-fields';
import { UuidScalar } from '../../src/core/scalars';
import { Team } from '../../src/modules/teams/team.entity';
import { User } from '../../src/modules/users/user.entity';

@InputType()
class ProbeCreateInput {
  @Field()
  @Length(1, 10)
  name: string;

  @Field({ nullable: true, defaultValue: true })
  enabled?: boolean;

  @Field(() => [String], { nullable: true, description: 'Labels' })
  @IsOptional()
  @Length(1, 5, { each: true })
  labels?: string[];

  @ReferenceField(() => Team, { property: 'team' })
  teamId?: string | null;

  @ReferenceField(() => User, { property: 'members', many: true, required: true })
  memberIds: string[];

  @Field({ nullable: true })
  createdOnly?: string;
}

@InputType()
class ProbeUpdateInput extends PartialInputType(ProbeCreateInput, {
  omit: ['createdOnly'],
  descriptions: { labels: 'Replaces the labels' },
}) {
  @Field({ nullable: true })
  updateOnly?: string;
}

@InputType()
class ProbeFilter {
  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @FilterAfter('createdAt')
  createdAfter?: Date;

  @FilterText(['name', 'description'])
  @IsOptional()
  @MaxLength(5)
  q?: string;
}

@InputType()
class FilterWithoutRule {
  @FilterIn('team', () => UuidScalar)
  teamId?: string[];

  @Field({ nullable: true })
  forgotten?: string;
}

@Resolver()
class ProbeResolver {
  @Query(() => Boolean)
  probe(
    @Arg('create') _c: ProbeCreateInput,
    @Arg('update') _u: ProbeUpdateInput,
    @Arg('filter') _f: ProbeFilter,
  ): boolean {
    return true;
  }
}

const schema = buildSchemaSync({ resolvers: [ProbeResolver], scalarsMap: [], validate: false });
const printed = (name: string) => printType(schema.getType(name) as GraphQLInputObjectType);
const instance = <T extends object>(cls: new () => T, values: Record<string, unknown>): T =>
  Object.assign(new cls(), values);

describe('declaring a list filter once', () => {
  it('gives each field its GraphQL type and its rule', () => {
    expect(printed('ProbeFilter')).toBe(
      ['input ProbeFilter {', '  teamId: [UUID!]', '  createdAfter: DateTimeISO', '  q: String', '}'].join('\n'),
    );
    expect(filterRulesOf(ProbeFilter)).toEqual({
      teamId: { kind: 'in', property: 'team' },
      createdAfter: { kind: 'after', property: 'createdAt' },
      q: { kind: 'text', properties: ['name', 'description'] },
    });
  });

  it('refuses, when the service is built, a filter field declared without a rule', () => {
    expect(() => filterRulesOf(FilterWithoutRule)).toThrow(
      'FilterWithoutRule: forgotten declared without a filter rule',
    );
  });
});

describe('an update input derived from its create input', () => {
  it('has every field of the create input but the omitted ones, all optional, with no default, and its own fields', () => {
    expect(printed('ProbeUpdateInput')).toBe(
      [
        'input ProbeUpdateInput {',
        '  name: String',
        '  enabled: Boolean',
        '',
        '  """Replaces the labels"""',
        '  labels: [String!]',
        '  teamId: UUID',
        '  memberIds: [UUID!]',
        '  updateOnly: String',
        '}',
      ].join('\n'),
    );
    expect(printed('ProbeCreateInput')).toContain('enabled: Boolean = true');
    expect(printed('ProbeCreateInput')).toContain('memberIds: [UUID!]!');
  });

  it('keeps the create input’s validators for the fields sent, and lets the others be left out', async () => {
    expect(await validate(instance(ProbeUpdateInput, {}))).toEqual([]);
    expect(await validate(instance(ProbeUpdateInput, { labels: ['ok'] }))).toEqual([]);
    const tooLong = await validate(instance(ProbeUpdateInput, { name: 'far too long a name' }));
    expect(tooLong.map((e) => [e.property, Object.keys(e.constraints ?? {})])).toEqual([['name', ['isLength']]]);
    const badLabel = await validate(instance(ProbeUpdateInput, { labels: ['much too long'] }));
    expect(badLabel.map((e) => e.property)).toEqual(['labels']);
    // The create input is not made optional by its update.
    expect((await validate(instance(ProbeCreateInput, { memberIds: [] }))).map((e) => e.property)).toEqual(['name']);
  });

  it('carries the reference rules of the fields it copies', () => {
    const rules = referenceRulesOf(ProbeUpdateInput);
    expect(Object.keys(rules).sort()).toEqual(['memberIds', 'teamId']);
    expect(rules.teamId).toEqual({ property: 'team', entity: Team });
    expect(rules.memberIds).toEqual({ property: 'members', entity: User, many: true });
    expect(referenceRulesOf(ProbeCreateInput, ProbeUpdateInput)).toEqual(rules);
  });
});
