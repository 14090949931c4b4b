-- What must hold after any load or fault: one row per check, with the number of rows breaking it (0 is good).
-- Run by bench/faults.sh and bench/storefront.sh against the shop's database, and by the integration test
-- Nodes/TwoNodeCheckoutTests against its own after concurrent checkouts on two nodes: one definition for all.
SELECT c.name AS "check", c.problems AS "problems" FROM (VALUES
  (1, 'keys sold twice',
      (SELECT count(*) FROM (SELECT card_key_id FROM order_items GROUP BY card_key_id HAVING count(*) > 1) x)),
  (2, 'orders without exactly their keys',
      (SELECT count(*) FROM orders o
       WHERE o.status <> 'Expired'
         AND o.quantity <> (SELECT count(*) FROM order_items i WHERE i.order_id = o.id AND i.replaces_item_id IS NULL))),
  (3, 'keys on another order than their item',
      (SELECT count(*) FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE k.order_id <> i.order_id)),
  (4, 'wallets not equal to their ledger',
      (SELECT count(*) FROM wallets w
       WHERE w.balance <> coalesce((SELECT sum(amount) FROM ledger_entries l WHERE l.user_id = w.user_id), 0))),
  (5, 'purchases without an order',
      (SELECT count(*) FROM ledger_entries l WHERE l.kind = 'Purchase' AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.no = l.reference))),
  (6, 'orders paid more than once',
      (SELECT count(*) FROM (SELECT reference FROM ledger_entries WHERE kind = 'Purchase' GROUP BY reference HAVING count(*) > 1) x)),
  (7, 'reserved keys not held by an order awaiting payment',
      (SELECT count(*) FROM card_keys k LEFT JOIN orders o ON o.id = k.order_id
       WHERE k.state = 'Reserved' AND (o.id IS NULL OR o.status <> 'AwaitingPayment'))),
  (8, 'gateway orders delivered without a payment',
      (SELECT count(*) FROM orders o
       WHERE o.payment_method <> 'wallet' AND o.status NOT IN ('AwaitingPayment', 'Expired') AND o.gateway_trade_no IS NULL)),
  (9, 'expired orders still holding keys',
      (SELECT count(*) FROM orders o WHERE o.status = 'Expired' AND EXISTS (SELECT 1 FROM card_keys k WHERE k.order_id = o.id)))
) AS c(n, name, problems)
ORDER BY c.n;
