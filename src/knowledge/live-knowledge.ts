import { KnowledgeNotPublishedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { VectorStore } from '../vector-store/vector-store.js';
import { snapshotFromFile, type KbSnapshot } from './kb-version.js';
import type { VersionRegistry } from './version-registry.js';

/**
 * The version a running server answers from. It follows the vector store's live pointer: a
 * publish or rollback elsewhere is picked up by `refresh`, and a turn that already holds a
 * snapshot finishes on it, so switching never fails a turn in flight.
 */
export class LiveKnowledge {
  private snapshot: KbSnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly registry: VersionRegistry,
    private readonly vectorStore: VectorStore,
    private readonly logger: Logger,
    /** Readies a version before it serves (its index read, its paraphrases cut into terms). */
    private readonly prepare?: (snapshot: KbSnapshot) => Promise<void>,
  ) {}

  /** The live snapshot; throws when nothing has been published. */
  current(): KbSnapshot {
    if (!this.snapshot) throw new KnowledgeNotPublishedError();
    return this.snapshot;
  }

  isLoaded(): boolean {
    return this.snapshot !== undefined;
  }

  /** Loads the live version if it changed; a broken new version leaves the old one serving. */
  refresh(): Promise<boolean> {
    // A poll that comes while a version is being prepared waits for that one instead of repeating it.
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async load(): Promise<boolean> {
    const version = await this.vectorStore.liveVersion();
    if (version === undefined || version === this.snapshot?.manifest.version) return false;
    try {
      const started = performance.now();
      const next = snapshotFromFile(this.registry.read(version));
      await this.prepare?.(next);
      const previous = this.snapshot?.manifest.version;
      this.snapshot = next;
      this.logger.info('kb version loaded', { kbVersion: version, previousVersion: previous, entries: next.entries.size, ms: Math.round(performance.now() - started) });
      return true;
    } catch (error) {
      this.logger.error('kb version could not be loaded; still serving the previous one', {
        kbVersion: version,
        servingVersion: this.snapshot?.manifest.version,
        error: (error as Error).message,
      });
      return false;
    }
  }

  /** Polls for a new live version every `intervalMs` (0 disables). */
  watch(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.error('kb refresh failed', { error: (error as Error).message }));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
