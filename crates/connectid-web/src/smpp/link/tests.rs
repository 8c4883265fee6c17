use super::*;

fn resp(id: u32, status: u32, body: &[u8]) -> Pdu {
    Pdu {
        id,
        status,
        seq: 5,
        body: body.to_vec(),
    }
}

#[test]
fn a_taken_submit_gives_the_smsc_message_id() {
    let r = submitted(&resp(id::SUBMIT_SM_RESP, status::ROK, b"msg-17\0"));
    assert_eq!(r.unwrap(), "msg-17");
}

#[test]
fn throttling_and_a_full_queue_are_worth_another_try() {
    for s in [status::RTHROTTLED, status::RMSGQFUL, status::RSYSERR] {
        let r = submitted(&resp(id::SUBMIT_SM_RESP, s, b""));
        assert!(matches!(r, Err(SendError::Retry(_))), "{s:#x}: {r:?}");
    }
}

#[test]
fn a_bad_destination_is_refused_for_good() {
    // ESME_RINVDSTADR, and a generic_nack for a PDU the SMSC cannot read.
    for (id, s) in [(id::SUBMIT_SM_RESP, 0x0B), (id::GENERIC_NACK, 0x02)] {
        let r = submitted(&resp(id, s, b""));
        assert!(matches!(r, Err(SendError::Refused(_))), "{s:#x}: {r:?}");
    }
}

#[test]
fn sequence_numbers_wrap_within_the_spec_range() {
    assert_eq!(following(0), 1);
    assert_eq!(following(0x7FFF_FFFE), 0x7FFF_FFFF);
    assert_eq!(following(0x7FFF_FFFF), 1);
}

// The link against a fake SMSC written here, on short timings: what npm's fake SMSC in the
// integration tests cannot be made to do (answer out of order, fall silent, unbind).

use connectid_core::secret::Secret;
use connectid_core::store::{MessageOutcome, Otp, OutboxDepth, QueuedMessage, StoreResult};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

const FAST: Timing = Timing {
    answer: Duration::from_millis(300),
    enquire_every: Duration::from_millis(200),
    backoff: Duration::from_millis(50),
    max_backoff: Duration::from_millis(200),
};

/// Records receipts; the link touches no other part of the outbox.
#[derive(Default)]
struct Receipted(Mutex<Vec<(String, String)>>);

#[async_trait::async_trait]
impl OutboxStore for Receipted {
    async fn enqueue_message(&self, _: &QueuedMessage, _: Option<&Otp>) -> StoreResult<()> {
        unreachable!()
    }
    async fn claim_messages(
        &self,
        _: &str,
        _: i64,
        _: i64,
        _: i64,
    ) -> StoreResult<Vec<QueuedMessage>> {
        unreachable!()
    }
    async fn claim_message(&self, _: &str, _: &str, _: i64) -> StoreResult<Option<QueuedMessage>> {
        unreachable!()
    }
    async fn finish_message(
        &self,
        _: &str,
        _: &str,
        _: &MessageOutcome,
        _: i64,
    ) -> StoreResult<bool> {
        unreachable!()
    }
    async fn record_receipt(&self, provider_ref: &str, receipt: &str) -> StoreResult<bool> {
        self.0
            .lock()
            .unwrap()
            .push((provider_ref.into(), receipt.into()));
        Ok(true)
    }
    async fn outbox_depth(&self) -> StoreResult<OutboxDepth> {
        unreachable!()
    }
    async fn requeue_events(&self, _: Option<&str>, _: i64, _: i64, _: i64) -> StoreResult<u64> {
        unreachable!()
    }
    async fn purge_messages(&self, _: i64) -> StoreResult<u64> {
        unreachable!()
    }
}

/// One connection as the SMSC sees it.
struct Peer(TcpStream);

impl Peer {
    async fn recv(&mut self) -> Pdu {
        timeout(Duration::from_secs(5), pdu::read(&mut self.0))
            .await
            .expect("a PDU in time")
            .expect("a PDU")
    }

    async fn send(&mut self, p: &Pdu) {
        self.0.write_all(&p.encode()).await.unwrap();
    }

    /// Takes the bind, checks its credentials, and answers it with `status`.
    async fn bind(&mut self, status: u32) {
        let b = self.recv().await;
        assert_eq!(b.id, id::BIND_TRANSCEIVER);
        assert!(b.body.starts_with(b"idp\0s3cret\0"), "{:?}", b.body);
        self.send(&b.response(status, b"SMSC\0".to_vec())).await;
    }
}

async fn smsc() -> (TcpListener, Link, Arc<Receipted>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = SmppUrl {
        host: "127.0.0.1".into(),
        port: listener.local_addr().unwrap().port(),
        system_id: "idp".into(),
        password: Secret::new("s3cret"),
    };
    let store = Arc::new(Receipted::default());
    let link = Link::new(url, store.clone(), FAST);
    (listener, link, store)
}

async fn accept(l: &TcpListener) -> Peer {
    let (s, _) = timeout(Duration::from_secs(5), l.accept())
        .await
        .expect("a connection in time")
        .unwrap();
    Peer(s)
}

#[tokio::test]
async fn each_resp_goes_to_its_own_submit_even_out_of_order() {
    let (l, link, _) = smsc().await;
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        let a = p.recv().await;
        let b = p.recv().await;
        assert_eq!((a.id, b.id), (id::SUBMIT_SM, id::SUBMIT_SM));
        assert_ne!(a.seq, b.seq);
        p.send(&b.response(status::ROK, b.body.clone().into_iter().chain([0]).collect()))
            .await;
        p.send(&a.response(status::RTHROTTLED, Vec::new())).await;
        p
    });
    let (one, two) = tokio::join!(link.submit(b"one".to_vec()), link.submit(b"two".to_vec()));
    // The one the SMSC read second was answered first, with its own text as the id.
    match (&one, &two) {
        (Ok(id), Err(SendError::Retry(_))) => assert_eq!(id, "one"),
        (Err(SendError::Retry(_)), Ok(id)) => assert_eq!(id, "two"),
        other => panic!("{other:?}"),
    }
    smsc.await.unwrap();
}

#[tokio::test]
async fn the_smscs_enquire_link_and_receipts_are_answered_and_recorded() {
    let (l, link, store) = smsc().await;
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        let s = p.recv().await;
        p.send(&s.response(status::ROK, b"m-1\0".to_vec())).await;
        p.send(&Pdu::request(id::ENQUIRE_LINK, 900, Vec::new()))
            .await;
        let receipt = pdu::Sm {
            source: pdu::Address {
                ton: 1,
                npi: 1,
                addr: "4790000555".into(),
            },
            dest: pdu::Address {
                ton: 5,
                npi: 0,
                addr: "CONNECTID".into(),
            },
            esm_class: 0x04,
            registered_delivery: 0,
            data_coding: 0,
            short_message: b"id:m-1 sub:001 dlvr:001 stat:UNDELIV err:001 text:".to_vec(),
            tlvs: Vec::new(),
        };
        p.send(&Pdu::request(id::DELIVER_SM, 901, receipt.encode()))
            .await;
        p.send(&Pdu::request(0x0000_0103, 902, Vec::new())).await; // data_sm: not spoken
        let mut answers = Vec::new();
        while answers.len() < 3 {
            let a = p.recv().await;
            if a.id != id::ENQUIRE_LINK {
                answers.push((a.id, a.status, a.seq));
            }
        }
        answers
    });
    assert_eq!(link.submit(Vec::new()).await.unwrap(), "m-1");
    let answers = smsc.await.unwrap();
    assert_eq!(
        answers,
        [
            (id::ENQUIRE_LINK_RESP, status::ROK, 900),
            (0x8000_0005, status::ROK, 901),
            (id::GENERIC_NACK, status::RINVCMDID, 902),
        ]
    );
    for _ in 0..50 {
        if !store.0.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        *store.0.lock().unwrap(),
        [("m-1".to_string(), "UNDELIV".to_string())]
    );
}

/// Submits until the link takes it (it may still be down from a drop); the message id.
async fn submit_when_bound(link: &Link) -> String {
    for _ in 0..100 {
        if let Ok(id) = link.submit(Vec::new()).await {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the link never came back");
}

#[tokio::test]
async fn a_link_silent_after_an_enquire_link_is_dropped_and_bound_again() {
    let (l, link, _) = smsc().await;
    let (rebound, bound_again) = oneshot::channel();
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        let s = p.recv().await;
        p.send(&s.response(status::ROK, b"m-1\0".to_vec())).await;
        assert_eq!(p.recv().await.id, id::ENQUIRE_LINK);
        // No answer: the link must give up on this connection and open another.
        let mut again = accept(&l).await;
        let mut rest = Vec::new();
        assert_eq!(p.0.read_to_end(&mut rest).await.unwrap(), 0, "closed");
        again.bind(status::ROK).await;
        rebound.send(()).unwrap();
        let s = again.recv().await;
        again
            .send(&s.response(status::ROK, b"m-2\0".to_vec()))
            .await;
    });
    assert_eq!(link.submit(Vec::new()).await.unwrap(), "m-1");
    bound_again.await.unwrap();
    assert_eq!(submit_when_bound(&link).await, "m-2");
    smsc.await.unwrap();
}

#[tokio::test]
async fn an_unbind_from_the_smsc_is_answered_and_the_link_binds_again() {
    let (l, link, _) = smsc().await;
    let (rebound, bound_again) = oneshot::channel();
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        let s = p.recv().await;
        p.send(&s.response(status::ROK, b"m-1\0".to_vec())).await;
        p.send(&Pdu::request(id::UNBIND, 77, Vec::new())).await;
        let a = p.recv().await;
        assert_eq!((a.id, a.seq), (id::UNBIND_RESP, 77));
        let mut again = accept(&l).await;
        again.bind(status::ROK).await;
        rebound.send(()).unwrap();
        let s = again.recv().await;
        again
            .send(&s.response(status::ROK, b"m-2\0".to_vec()))
            .await;
    });
    assert_eq!(link.submit(Vec::new()).await.unwrap(), "m-1");
    bound_again.await.unwrap();
    assert_eq!(submit_when_bound(&link).await, "m-2");
    smsc.await.unwrap();
}

#[tokio::test]
async fn while_the_bind_is_refused_a_send_is_told_to_retry_at_once() {
    let (l, link, _) = smsc().await;
    let smsc = tokio::spawn(async move {
        loop {
            let mut p = accept(&l).await;
            p.bind(0x0D).await; // ESME_RBINDFAIL
        }
    });
    let first = link.submit(Vec::new()).await;
    match first {
        Err(SendError::Retry(e)) => assert!(e.contains("refused the bind"), "{e}"),
        other => panic!("{other:?}"),
    }
    for _ in 0..10 {
        let started = Instant::now();
        assert!(matches!(
            link.submit(Vec::new()).await,
            Err(SendError::Retry(_))
        ));
        assert!(started.elapsed() < Duration::from_millis(100));
    }
    smsc.abort();
}

#[tokio::test]
async fn a_submit_the_smsc_never_answers_is_retried_not_awaited_forever() {
    let (l, link, _) = smsc().await;
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        assert_eq!(p.recv().await.id, id::SUBMIT_SM);
        std::future::pending::<()>().await;
    });
    let started = Instant::now();
    assert!(matches!(
        link.submit(Vec::new()).await,
        Err(SendError::Retry(_))
    ));
    assert!(started.elapsed() < Duration::from_secs(2));
    smsc.abort();
}

#[tokio::test]
async fn a_node_that_stops_unbinds() {
    let (l, link, _) = smsc().await;
    let smsc = tokio::spawn(async move {
        let mut p = accept(&l).await;
        p.bind(status::ROK).await;
        let s = p.recv().await;
        p.send(&s.response(status::ROK, b"m-1\0".to_vec())).await;
        loop {
            let u = p.recv().await;
            if u.id == id::UNBIND {
                p.send(&u.response(status::ROK, Vec::new())).await;
                return;
            }
        }
    });
    assert_eq!(link.submit(Vec::new()).await.unwrap(), "m-1");
    drop(link);
    timeout(Duration::from_secs(5), smsc)
        .await
        .unwrap()
        .unwrap();
}
