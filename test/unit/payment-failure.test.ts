import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { paymentFailure } from '../../src/activities/failures';
import { PaymentDeclined, PaymentRequestRejected } from '../../src/payments/payment-provider';

// A decline is the workflow's to handle (dunning): non-retryable, and BENIGN, so the worker logs it at DEBUG, not as
// a WARN with its stack, and leaves it out of its failure metrics. A rejected request is a fault and stays one.

describe('the activity failure of a provider error', () => {
  test('a decline: non-retryable PaymentDeclined, benign, its code and context in the details', () => {
    const failure = paymentFailure(new PaymentDeclined('card_declined'), { invoiceId: 'inv_1' });
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'PaymentDeclined', nonRetryable: true, category: ApplicationFailureCategory.BENIGN, message: 'the card was declined (card_declined)' });
    expect((failure as ApplicationFailure).details).toEqual([{ code: 'card_declined', invoiceId: 'inv_1' }]);
  });

  test('a rejected request: non-retryable, not benign (a fault to see in the logs)', () => {
    const failure = paymentFailure(new PaymentRequestRejected('parameter_invalid', 'bad amount'), {});
    expect(failure).toMatchObject({ type: 'PaymentRequestRejected', nonRetryable: true, category: undefined });
  });
});
