import type { SurveyResponse } from '../../src/core/types.js';
import type { ResponseStore } from '../../src/storage/types.js';

/** A tiny in-memory ResponseStore for route tests. */
export function memoryStore(initial: SurveyResponse[] = []): ResponseStore & { lists: number } {
  const byId = new Map(initial.map((r) => [r.id, structuredClone(r)]));
  const store = {
    lists: 0,
    async get(id: string) {
      const r = byId.get(id);
      return r && structuredClone(r);
    },
    async save(r: SurveyResponse) {
      byId.set(r.id, structuredClone(r));
    },
    async update(_wave: string, id: string, change: (current: SurveyResponse | undefined) => SurveyResponse | undefined) {
      const current = byId.get(id);
      const next = change(current && structuredClone(current));
      if (next === undefined) return current && structuredClone(current);
      byId.set(id, structuredClone(next));
      return structuredClone(next);
    },
    async delete(id: string) {
      byId.delete(id);
    },
    async list(wave?: string) {
      store.lists += 1;
      return [...byId.values()].filter((r) => wave === undefined || r.wave === wave).map((r) => structuredClone(r));
    },
  };
  return store;
}
