import { z } from 'zod';

/**
 * A schema's fields, each optional and without its `.default()`: zod fills a default even
 * inside `.partial()`, so a patch built that way would reset every field it does not name.
 */
export function patchOf<T extends z.ZodObject>(
  schema: T,
): z.ZodType<Partial<z.output<T>>, Partial<z.input<T>>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? field.removeDefault() : field).optional(),
    ]),
  );
  return z.strictObject(shape) as unknown as z.ZodType<Partial<z.output<T>>, Partial<z.input<T>>>;
}
