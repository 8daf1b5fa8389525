import { json, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { MiniCrmData } from '../data';
import { notFound } from '../replies';
import { categoryOf, projectSchema } from '../schema';

export function categoryRoutes(api: Router<MiniCrmData>): void {
  // The cheap "test connection" call: `{ "<CategoryId>": "<Name>" }`, or `Results` with details.
  api.get(
    '/Category',
    guarded((request, data, system) => {
      const categories = data.categories.filter((category) => category.SystemId === system.Id);
      if (stringParam(request.query, 'Detailed') === '1') {
        return json(200, {
          Results: categories.map((category) => ({
            Id: category.Id,
            OrderId: category.OrderId,
            Name: category.Name,
            Type: category.Type,
            SenderName: system.Name,
            SenderEmail: '',
            Phone: '',
          })),
        });
      }
      return json(200, Object.fromEntries(categories.map((category) => [String(category.Id), category.Name])));
    }),
  );

  api.get(
    '/Schema/Project/:categoryId',
    guarded((request, data, system) => {
      const category = categoryOf(data, system, request.params.categoryId);
      return category ? json(200, projectSchema(data, system, category)) : notFound();
    }),
  );
}
