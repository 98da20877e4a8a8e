/** The alert delivery workflow's contract: one workflow per alert that has a webhook to reach. */
export const alertDeliveryWorkflowId = (alertId: string) => `alert-delivery-${alertId}`;

export interface AlertDeliveryInput {
  alertId: string;
}

/** The activity the delivery workflow calls, as it sees it; the worker's provider implements it. */
export interface AlertDeliveryActivities {
  /** Posts the alert to its role's webhook, signed; throws (and is retried) until the endpoint accepts it. */
  deliverAlert(input: AlertDeliveryInput): Promise<void>;
}
