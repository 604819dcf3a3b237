import { Router } from 'express';
import { z } from 'zod';
import type { LiveKnowledge } from '../knowledge/live-knowledge.js';
import type { Retriever } from '../rag/retriever.js';
import { LANGS, pick } from '../text/lang.js';
import { splitCategory } from '../knowledge/yaml-faq-format.js';

const searchQuery = z.object({
  q: z.string().trim().min(1, 'q must not be empty').max(500),
  k: z.coerce.number().int().min(1).max(50).default(5),
  lang: z.enum(LANGS).optional(),
  category: z.string().max(200).optional(),
});

/** KB search for the agent console and evaluation scripts: the live version's ranked entries. */
export function kbRoutes(deps: { knowledge: LiveKnowledge; retriever: Retriever }): Router {
  const router = Router();
  router.get('/search', async (request, response) => {
    const query = searchQuery.parse(request.query);
    const snapshot = deps.knowledge.current();
    const retrieval = await deps.retriever.retrieve(snapshot, query.q, {
      k: query.k,
      ...(query.lang !== undefined ? { lang: query.lang } : {}),
      ...(query.category !== undefined ? { categoryPrefix: splitCategory(query.category) } : {}),
    });
    const lang = query.lang ?? 'zh';
    response.json({
      version: retrieval.kbVersion,
      results: retrieval.results.map((result) => ({
        entryId: result.entry.id,
        title: pick(result.entry.title, lang),
        category: result.entry.category,
        skillGroup: result.entry.skillGroup,
        answer: pick(result.entry.answer, lang),
        score: result.score,
        confidence: Math.round(result.confidence * 1000) / 1000,
        matchedQuestion: result.matchedQuestion,
        retrievers: result.retrievers,
      })),
    });
  });
  return router;
}
