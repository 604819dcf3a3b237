/** The part of `@nlpjs/basic` (which ships no types) that the evaluation uses. */
declare module '@nlpjs/basic' {
  export interface Container {
    use(plugin: unknown): void;
  }
  export function containerBootstrap(): Promise<Container>;
  export const LangEn: unknown;
  export class Nlp {
    constructor(settings: Record<string, unknown>);
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<unknown>;
  }
}
