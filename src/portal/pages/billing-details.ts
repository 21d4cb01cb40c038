// Billing details (section 13): the legal name, address, country and VAT ID the team's invoices and credit notes are
// issued to. The API checks them (a VAT ID offline, for format and checksum); a refusal names the field, and the
// page marks that field and says what to fix.
import type { BillingParty } from '../../domain';
import { html, type Html } from '../html';
import { page } from '../layout';
import type { Viewer } from '../viewer';

export function billingDetailsPage(viewer: Viewer, details: BillingParty): Html {
  return page(viewer, '/portal/billing-details', 'Billing details', html`
<p>Your invoices and credit notes are issued to these details from now on; those issued already keep the details they were issued with.</p>
<section aria-labelledby="details-h" class="panel">
  <h2 id="details-h">Issued to</h2>
  <form class="api" id="billing-details" data-method="PUT" data-path="billing-details" data-success="Your billing details were saved. The next invoices carry them.">
    <label for="legalName">Legal name</label>
    <input id="legalName" name="legalName" required maxlength="200" autocomplete="organization" value="${details.legalName}">
    <label for="address">Address</label>
    <textarea id="address" name="address" rows="3" maxlength="500" autocomplete="street-address">${details.address}</textarea>
    <label for="country">Country</label>
    <input id="country" name="country" required pattern="[A-Za-z]{2}" maxlength="2" size="3" autocomplete="country" aria-describedby="country-help" value="${details.country}">
    <p id="country-help" class="muted">Its two-letter code, e.g. DE, FR, GB, US. Its VAT rate applies to the next invoices.</p>
    <label for="taxId">VAT ID <span class="muted">(optional)</span></label>
    <input id="taxId" name="taxId" maxlength="40" autocomplete="off" aria-describedby="taxId-help" value="${details.taxId ?? ''}">
    <p id="taxId-help" class="muted">A business in the EU or the UK with a valid VAT ID is reverse-charged: no VAT on its invoices. Leave it empty if you have none.</p>
    <button type="submit">Save billing details</button>
  </form>
</section>`);
}
