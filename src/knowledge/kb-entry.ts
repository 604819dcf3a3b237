import type { Lang, Localized } from '../text/lang.js';

/** One knowledge-base entry as the rest of the product sees it, whatever file it came from. */
export interface KbEntry {
  /** Stable id chosen by the editor; citations and analytics refer to it. */
  id: string;
  /** Category path, outermost first, e.g. ['售后', '退换货']. */
  category: string[];
  /** Short title per language; defaults to the first question. */
  title: Localized;
  /** Question paraphrases per language. */
  questions: { [K in Lang]?: string[] | undefined };
  /** The curated answer per language. */
  answer: Localized;
  tags: string[];
  /** Skill group that takes over when a conversation about this entry needs a person. */
  skillGroup: string;
  /** Optional links to images, videos or pages that go with the answer. */
  media: string[];
  /**
   * Passages of a long article (Markdown entries only), in the answer's language, each indexed as
   * its own search point so a question answered deep inside an article still finds it. The
   * answer stays the whole article; FAQ entries have no chunks.
   */
  chunks?: string[];
  /** Where the entry was read from, for error messages and the console. */
  source: { file: string; line?: number };
}

/** A citation attached to every answer built from the KB. */
export interface Citation {
  entryId: string;
  title: string;
  category: string[];
  kbVersion: number;
}
