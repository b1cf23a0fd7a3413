import type { PgliteClient } from "./pglite-client.js";
import {
  discardTemplate,
  emptyDataDir,
  isTemplateOf,
  type PgliteTemplateEvent,
  readTemplate,
  templateFile,
} from "./template.js";

export interface StartOptions {
  /** Omitted: in memory. */
  dataDir?: string;
  schema: string;
  /** Set when the database is new (an empty directory, or memory) and may come from a template. */
  templateDir?: string;
  onTemplate?: (event: PgliteTemplateEvent) => void;
}

export interface Started {
  client: PgliteClient;
  /** The template file to write once the schema is migrated (none was usable). */
  writeTemplateTo?: string;
}

/**
 * Opens PGlite through `connect` (in process or on its thread). A new database
 * loads the cached template (initialised and migrated) instead of running
 * initdb, about 1.5 s less; a template that fails to load or is not what its
 * name says is deleted and initdb runs as without one.
 */
export const startPglite = async (
  connect: (loadDataDir?: Uint8Array) => Promise<PgliteClient>,
  options: StartOptions,
): Promise<Started> => {
  const file = options.templateDir === undefined ? null : templateFile(options.templateDir, options.schema);
  if (file === null) return { client: await connect() };
  const template = readTemplate(file, options.onTemplate);
  if (template !== null) {
    let client: PgliteClient | undefined;
    let reason: string | null;
    try {
      client = await connect(template);
      reason = await isTemplateOf(client, options.schema);
      if (reason === null) {
        options.onTemplate?.({ kind: "loaded", file });
        return { client };
      }
    } catch (error) {
      reason = `cannot load: ${String(error)}`;
    }
    await client?.close().catch(() => undefined);
    discardTemplate(file, reason, options.onTemplate);
    if (options.dataDir !== undefined) emptyDataDir(options.dataDir);
  }
  return { client: await connect(), writeTemplateTo: file };
};
