// Stripe's test payment methods, as the sandbox provider plays them. Any other token (pm_card_visa,
// pm_card_mastercard, or an id a simulation made up) is a card that works.

/** Decline code by test payment method. */
const DECLINING_CARDS: Readonly<Record<string, string>> = {
  pm_card_chargeDeclined: 'card_declined',
  pm_card_chargeDeclinedInsufficientFunds: 'insufficient_funds',
  pm_card_chargeDeclinedLostCard: 'lost_card',
  pm_card_chargeDeclinedStolenCard: 'stolen_card',
  pm_card_chargeDeclinedExpiredCard: 'expired_card',
  pm_card_chargeDeclinedIncorrectCvc: 'incorrect_cvc',
  pm_card_chargeDeclinedProcessingError: 'processing_error',
  pm_card_chargeDeclinedFraudulent: 'fraudulent',
};

/** The decline code a test card always answers with, or null for a card that pays. */
export function testCardDecline(paymentMethodId: string): string | null {
  return DECLINING_CARDS[paymentMethodId] ?? null;
}
