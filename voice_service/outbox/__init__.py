"""The outbox: everything that leaves the service, and everything that comes back about it.

- `queue.enqueue`: write a row in the caller's transaction (`queue.cancel_unsent` withdraws a round's);
- `dispatch.build_dispatcher`: the loop that sends due rows (`lease`, `reconcile`, `outcomes`);
- `channels`: the `Sender` interface, with `sms`, `mail` and `webhook` senders;
- `status.apply_delivery_report`: Twilio's status callbacks;
- `windows`: when survey texts may go.
"""

from .queue import cancel_unsent, enqueue

__all__ = ["cancel_unsent", "enqueue"]
