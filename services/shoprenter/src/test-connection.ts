import type { ConnectionTestResult } from '@junction/contracts';
import { secretRegistry } from '@junction/secrets';
import {
  VendorAuthError,
  VendorHttpError,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorSchemaError,
  VendorValidationError,
} from '@junction/vendor-http';
import { TEST_RETRY } from './client';
import { clientFor, credentialsFitSettings, type SrContext } from './context';
import { readOrderStatuses } from './order-statuses';
import { tokenUrlOf } from './settings';

// The user reads these in the MiniCRM-style settings screen, so they are Hungarian, as the seed's are.
const SUCCESS = 'Sikeres kapcsolódás!';
const failed = (reason: string): ConnectionTestResult => ({ ok: false, message: `Kapcsolódás sikertelen: ${reason}` });

/** Which call failed: the first authenticated one, or reading the order statuses after it. */
type Step = 'connect' | 'statuses';

function isTokenCall(ctx: SrContext, error: VendorHttpError): boolean {
  if (ctx.connection.settings.auth !== 'oauth') return false;
  return error.path.split('?')[0] === new URL(tokenUrlOf(ctx.connection.settings)).pathname;
}

/** The precise reason a call failed, in the user's words. */
function reasonOf(ctx: SrContext, error: unknown, step: Step): string {
  const { apiUrl, auth } = ctx.connection.settings;
  if (!(error instanceof VendorHttpError)) return secretRegistry.scrub(error instanceof Error ? error.message : String(error));
  if (isTokenCall(ctx, error)) {
    if (error instanceof VendorAuthError) return 'a Shoprenter nem fogadta el az API kliens azonosítóját (client id) vagy titkát (client secret).';
    if (error instanceof VendorNotFoundError) return `a token URL (${tokenUrlOf(ctx.connection.settings)}) nem a Shoprenter token végpontja.`;
    if (error instanceof VendorValidationError) return `a Shoprenter hibásnak találta a token kérést: ${error.message}`;
  }
  if (error instanceof VendorAuthError && step === 'statuses') {
    return 'az API hozzáférés nem olvashatja a rendelési státuszokat (szükséges jogosultság: order.status:read).';
  }
  if (error instanceof VendorAuthError && error.status === 403) {
    return auth === 'basic'
      ? 'a Shoprenter megtiltotta a hozzáférést (403): kapcsold be az API státuszt (Beállítások > API beállítások), vagy ha a bolt már csak OAuth API klienst enged, azt add meg.'
      : 'a Shoprenter megtiltotta a hozzáférést (403): az API kliensnek nincs jogosultsága a rendelésekhez.';
  }
  if (error instanceof VendorAuthError) {
    return auth === 'basic'
      ? 'hibás API felhasználónév vagy jelszó.'
      : 'a Shoprenter nem fogadta el a hozzáférési tokent, pedig most kértük: az API kliens nem ehhez a bolthoz tartozik?';
  }
  if (error instanceof VendorNotFoundError) return `nincs Shoprenter bolt ezen az API URL-en (${apiUrl}): ellenőrizd az URL-t.`;
  if (error.code === 'connection_failed') return `az API URL (${apiUrl}) nem érhető el: ellenőrizd a bolt nevét az URL-ben.`;
  if (error instanceof VendorSchemaError) return `az API URL (${apiUrl}) nem a Shoprenter API-ja: nem JSON API választ adott.`;
  if (error instanceof VendorRateLimitError) {
    return 'a Shoprenter túl sok kérés miatt átmenetileg letiltotta ezt az API hozzáférést (429): próbáld újra néhány perc múlva.';
  }
  return `a Shoprenter API nem válaszolt rendesen (${error.status ?? error.code}): próbáld újra később.`;
}

/**
 * One cheap authenticated call (the shop's languages, which also tell which status names are Hungarian), then the
 * shop's order statuses as they are now: every test reads them again, so a renamed or added status shows up.
 */
export async function testConnection(ctx: SrContext): Promise<ConnectionTestResult> {
  if (!credentialsFitSettings(ctx)) {
    return failed(
      ctx.connection.settings.auth === 'oauth'
        ? 'OAuth módban API kliens azonosító és titok kell, nem API felhasználónév és jelszó.'
        : 'a régi (Basic) API-hoz API felhasználónév és jelszó kell, nem OAuth API kliens.',
    );
  }
  const client = clientFor(ctx, TEST_RETRY);
  let languages;
  try {
    languages = await client.languages();
  } catch (error) {
    return failed(reasonOf(ctx, error, 'connect'));
  }
  try {
    const orderStatuses = await readOrderStatuses(client, languages);
    return { ok: true, message: `${SUCCESS} A boltban ${orderStatuses.length} rendelési státusz van.`, orderStatuses };
  } catch (error) {
    return failed(reasonOf(ctx, error, 'statuses'));
  }
}
