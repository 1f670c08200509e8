import type { AiProvider, FallbackReason } from '../providers/ai-provider.js';
import type { DraftSource } from './draft-source.js';
import { EMBEDDED_DRAFTER_MODEL, PostmortemDraftContent, draftFromFacts } from './embedded-drafter.js';
import {
  CheckedDraft,
  ModelDraft,
  ModelDraftSchema,
  POSTMORTEM_INSTRUCTIONS,
  checkModelDraft,
  factsForModel,
} from './postmortem-chain.js';
import { buildFacts } from './postmortem-facts.js';

export interface PostmortemDraftAnswer {
  content: PostmortemDraftContent;
  model: string;
  fallbackReason: FallbackReason | null;
  corrections: string[];
}

/**
 * Drafts a postmortem from an incident's record: the facts are gathered once; the configured chat model writes the
 * prose through a LangChain chain with structured output, checked against the facts; without a model, or when it
 * fails, the embedded drafter writes the whole draft.
 */
export class PostmortemDrafter {
  constructor(private readonly ai: AiProvider) {}

  async draft(source: DraftSource): Promise<PostmortemDraftAnswer> {
    const facts = buildFacts(source);
    const answer = await this.ai.structured<ModelDraft, CheckedDraft>({
      schema: ModelDraftSchema,
      name: 'postmortem_draft',
      instructions: POSTMORTEM_INSTRUCTIONS,
      facts: factsForModel(facts),
      local: { model: EMBEDDED_DRAFTER_MODEL, run: () => ({ content: draftFromFacts(facts), corrections: [] }) },
      accept: (draft) => checkModelDraft(facts, draft),
    });
    return { ...answer.value, model: answer.model, fallbackReason: answer.fallbackReason };
  }
}
