import { json, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded, type AuthMode, type Caller } from '../auth';
import type { ShoprenterData } from '../data';
import { apiError, notFound } from '../errors';
import * as ids from '../ids';
import { listReply } from '../listing';
import {
  couponHref,
  orderStatusHref,
  presentCoupon,
  presentCurrency,
  presentLanguage,
  presentOrderStatus,
  presentOrderStatusDescription,
} from '../present';
import type { OrderStatus } from '../records';

function statusById(data: ShoprenterData, caller: Caller, innerId: number | undefined): OrderStatus | undefined {
  const status = innerId === undefined ? undefined : data.orderStatuses.get(innerId);
  return status?.shopId === caller.shop.id ? status : undefined;
}

/** Order statuses (as the shop owner edits them), their Hungarian descriptions, coupons, the one language and currency. */
export function catalogRoutes(api: Router<ShoprenterData>, mode: AuthMode): void {
  api.get(
    '/orderStatuses',
    guarded(mode, (request, data, caller) => {
      const statuses = data.orderStatuses.filter((status) => status.shopId === caller.shop.id);
      return listReply(request, caller, statuses, {
        path: '/orderStatuses',
        href: (status) => orderStatusHref(caller, status.innerId),
        present: (items) => items.map((status) => presentOrderStatus(status, caller)),
        withPageCount: true,
      });
    }),
  );

  api.get(
    '/orderStatuses/:id',
    guarded(mode, (request, data, caller) => {
      const status = statusById(data, caller, ids.innerIdOf(request.params.id, 'orderStatus', 'order_status_id'));
      return status ? json(200, presentOrderStatus(status, caller)) : notFound(request.path);
    }),
  );

  api.get(
    '/orderStatusDescriptions',
    guarded(mode, (request, data, caller) => {
      const statusId = stringParam(request.query, 'orderStatusId');
      const statusInnerId = statusId === undefined ? undefined : ids.innerIdOf(statusId, 'orderStatus', 'order_status_id');
      if (statusId !== undefined && statusInnerId === undefined) return apiError(400, 40006, `Invalid resource id: ${statusId}`);
      const statuses = data.orderStatuses.filter(
        (status) => status.shopId === caller.shop.id && (statusInnerId === undefined || status.innerId === statusInnerId),
      );
      return listReply(request, caller, statuses, {
        path: '/orderStatusDescriptions',
        href: (status) => presentOrderStatusDescription(status, caller).href,
        present: (items) => items.map((status) => presentOrderStatusDescription(status, caller)),
        withPageCount: true,
      });
    }),
  );

  api.get(
    '/orderStatusDescriptions/:id',
    guarded(mode, (request, data, caller) => {
      const decoded = Buffer.from(request.params.id, 'base64').toString('utf8');
      const match = /^orderStatusDescription-order_status_id=(\d+)&language_id=1$/.exec(decoded);
      const status = statusById(data, caller, match ? Number(match[1]) : undefined);
      return status ? json(200, presentOrderStatusDescription(status, caller)) : notFound(request.path);
    }),
  );

  api.get(
    '/coupons',
    guarded(mode, (request, data, caller) => {
      const code = stringParam(request.query, 'code');
      const coupons = data.coupons.filter((coupon) => coupon.shopId === caller.shop.id && (code === undefined || coupon.code === code));
      return listReply(request, caller, coupons, {
        path: '/coupons',
        href: (coupon) => couponHref(caller, coupon.innerId),
        present: (items) => items.map((coupon) => presentCoupon(coupon, caller)),
        withPageCount: true,
      });
    }),
  );

  api.get(
    '/coupons/:id',
    guarded(mode, (request, data, caller) => {
      const innerId = ids.innerIdOf(request.params.id, 'coupon', 'coupon_id');
      const coupon = innerId === undefined ? undefined : data.coupons.get(innerId);
      return coupon?.shopId === caller.shop.id ? json(200, presentCoupon(coupon, caller)) : notFound(request.path);
    }),
  );

  // The cheap "test connection" call.
  api.get(
    '/languages',
    guarded(mode, (request, _data, caller) => {
      const languages = [presentLanguage(caller)];
      return listReply(request, caller, languages, { path: '/languages', href: (language) => language.href, present: (items) => items, withPageCount: true });
    }),
  );

  api.get(
    '/languages/:id',
    guarded(mode, (request, _data, caller) => (request.params.id === ids.LANGUAGE_ID ? json(200, presentLanguage(caller)) : notFound(request.path))),
  );

  api.get(
    '/currencies/:id',
    guarded(mode, (request, _data, caller) => (request.params.id === ids.CURRENCY_ID ? json(200, presentCurrency(caller)) : notFound(request.path))),
  );
}
