import type { JsMsg } from '@nats-io/jetstream';

/** One delivery of a message: sends exactly one outcome and keeps the AckWait deadline alive until then. */
export class Delivery {
  private settled = false;
  private readonly keepAlive: NodeJS.Timeout;

  constructor(
    readonly msg: JsMsg,
    ackWaitMs: number,
  ) {
    // Without "working" signals AckWait would expire under a long handler and hand the message to another replica.
    this.keepAlive = setInterval(() => {
      try {
        msg.working();
      } catch {
        // Connection closed: the server redelivers after AckWait, nothing to do here.
      }
    }, ackWaitMs / 3);
  }

  get isSettled(): boolean {
    return this.settled;
  }

  /**
   * Sends the ack; false when it could not be sent (the connection is closed). The server does not confirm it: an
   * ack lost with its connection means one redelivery, which the handlers' inboxes absorb, while a confirmation would
   * double what a message costs NATS and the client.
   */
  ack(): boolean {
    if (!this.settle()) return false;
    try {
      this.msg.ack();
      return true;
    } catch {
      return false;
    }
  }

  nak(delayMs: number): void {
    if (this.settle()) this.msg.nak(delayMs);
  }

  term(): void {
    if (this.settle()) this.msg.term();
  }

  /** Stops the keep-alive; called once the handler is done, whatever happened. */
  release(): void {
    clearInterval(this.keepAlive);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.release();
    return true;
  }
}
