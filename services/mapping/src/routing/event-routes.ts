import type { EventRoute } from './event-route';
import { dealWonRoute } from './routes/deal-won.route';
import { orderStatusChangedRoute } from './routes/order-status.route';
import { orderCreatedRoute, orderUpdatedRoute } from './routes/order.routes';
import {
  contactCreatedRoute,
  contactUpdatedRoute,
  customerCreatedRoute,
  customerUpdatedRoute,
  productCreatedRoute,
  productUpdatedRoute,
} from './routes/repairshopr-pull.routes';

/** Every source event the mapping service routes, with the rules of each integration kind. */
export const EVENT_ROUTES: EventRoute[] = [
  dealWonRoute,
  customerCreatedRoute,
  contactCreatedRoute,
  productCreatedRoute,
  customerUpdatedRoute,
  contactUpdatedRoute,
  productUpdatedRoute,
  orderCreatedRoute,
  orderUpdatedRoute,
  orderStatusChangedRoute,
];
