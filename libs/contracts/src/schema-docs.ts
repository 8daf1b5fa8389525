import { z } from 'zod';

export interface SchemaDoc {
  /** Name under which the JSON Schema output lifts the schema into `$defs` / `components.schemas`. */
  id?: string;
  description?: string;
}

// A private registry rather than zod's global one, so our ids can never clash with another library's.
export const schemaDocs = z.registry<SchemaDoc>();

/** Attaches documentation to `schema` itself, so it must be a fresh instance, not a shared one like `Money`. */
export function documented<T extends z.ZodType>(schema: T, doc: SchemaDoc): T {
  // Documenting a shared schema again would silently replace its name everywhere it is used.
  if (schemaDocs.has(schema)) throw new Error(`Schema is already documented: ${JSON.stringify(schemaDocs.get(schema))}`);
  schemaDocs.add(schema, doc);
  return schema;
}

/** A copy of a shared schema with a field-specific description; generated docs still refer to the original. */
export function withDescription<T extends z.ZodType>(shared: T, description: string): T {
  return documented(shared.clone(), { description });
}
