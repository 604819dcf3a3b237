import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { AppError, KnowledgeVersionNotFoundError } from '../errors.js';
import { writeFileAtomicSync } from '../util/atomic-file.js';
import { kbVersionFileSchema, type KbManifest, type KbVersionFile } from './kb-version.js';

const VERSION_FILE = /^v(\d{4,})\.json$/;

export class CorruptKnowledgeVersionError extends AppError {
  constructor(version: number, cause: unknown) {
    super('kb_version_corrupt', `knowledge-base version ${version} is unreadable or corrupt`, 500, { cause });
  }
}

/**
 * The published versions' entries and statistics, one immutable JSON file per version under
 * `<dataDir>/kb/versions`. Which version is live is the vector store's business (its alias).
 */
export class VersionRegistry {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'kb', 'versions');
  }

  fileOf(version: number): string {
    return path.join(this.dir, `v${String(version).padStart(4, '0')}.json`);
  }

  versions(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => VERSION_FILE.exec(name)?.[1])
      .filter((digits): digits is string => digits !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  nextVersion(): number {
    return (this.versions().at(-1) ?? 0) + 1;
  }

  write(file: KbVersionFile): void {
    writeFileAtomicSync(this.fileOf(file.manifest.version), JSON.stringify(file));
  }

  read(version: number): KbVersionFile {
    const file = this.fileOf(version);
    if (!existsSync(file)) throw new KnowledgeVersionNotFoundError(version);
    try {
      return kbVersionFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new CorruptKnowledgeVersionError(version, error);
    }
  }

  /** Manifests of every readable version, oldest first; corrupt files are reported, not thrown. */
  manifests(): Array<KbManifest | { version: number; corrupt: true }> {
    return this.versions().map((version) => {
      try {
        return this.read(version).manifest;
      } catch {
        return { version, corrupt: true as const };
      }
    });
  }

  remove(version: number): void {
    rmSync(this.fileOf(version), { force: true });
  }
}
