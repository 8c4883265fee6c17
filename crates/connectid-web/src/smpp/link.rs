//! The node's one SMPP connection, owned by one background task.
//!
//! The task connects, binds as a transceiver, then serves: it writes each submit_sm with a
//! fresh sequence number and hands its submit_sm_resp to the sender waiting on it (a oneshot
//! per sequence), answers the SMSC's enquire_link, deliver_sm (receipts), and unbind, sends
//! its own enquire_link every 30 s and takes 10 s of silence after one as a dead link. After
//! any drop it reconnects with backoff (1, 2, 4 … 30 s). Senders read the link's state: while
//! it is down they are told to retry at once, not made to wait for the next bind.
//!
//! A separate reader task reads PDUs off the socket (reading is not cancel-safe) and passes
//! them on through a channel; it dies with the session.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectid_core::messages::SendError;
use connectid_core::store::OutboxStore;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, sleep, sleep_until, timeout, timeout_at};

use super::pdu::{self, Pdu, id, status};
use super::receipt::{self, Receipts};
use super::{SmppError, SmppUrl};

/// The link's clock: the defaults in production, shorter ones in the tests.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    /// The longest wait for any answer from the SMSC: a connect, a bind, a submit, an enquiry.
    pub answer: Duration,
    pub enquire_every: Duration,
    /// The first wait before a reconnect; it doubles up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
}

impl Timing {
    pub const DEFAULT: Timing = Timing {
        answer: Duration::from_secs(10),
        enquire_every: Duration::from_secs(30),
        backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(30),
    };
}

/// The link as senders see it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    /// No message yet: nothing started.
    Idle,
    /// The first connect and bind, which the first message waits for.
    Connecting,
    Bound,
    /// Waiting to reconnect, after this error.
    Down(String),
}

type Reply = oneshot::Sender<Result<String, SendError>>;

/// One submit_sm body and where its answer goes.
struct Request {
    body: Vec<u8>,
    reply: Reply,
}

/// The task's half, until the first message starts it.
struct Task {
    url: SmppUrl,
    timing: Timing,
    store: Arc<dyn OutboxStore>,
    requests: mpsc::Receiver<Request>,
    state: watch::Sender<State>,
}

/// The senders' half. Dropping it ends the task (with an unbind, if bound).
pub(super) struct Link {
    timing: Timing,
    requests: mpsc::Sender<Request>,
    state: watch::Receiver<State>,
    task: Mutex<Option<Task>>,
}

impl Link {
    pub fn new(url: SmppUrl, store: Arc<dyn OutboxStore>, timing: Timing) -> Self {
        let (tx, rx) = mpsc::channel(64);
        let (state_tx, state_rx) = watch::channel(State::Idle);
        Self {
            timing,
            requests: tx,
            state: state_rx,
            task: Mutex::new(Some(Task {
                url,
                timing,
                store,
                requests: rx,
                state: state_tx,
            })),
        }
    }

    fn start(&self) {
        let mut slot = match self.task.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(task) = slot.take() {
            task.state.send_replace(State::Connecting);
            tokio::spawn(run(task));
        }
    }

    /// Submits one submit_sm body; the SMSC's message id, or why not.
    pub async fn submit(&self, body: Vec<u8>) -> Result<String, SendError> {
        self.start();
        let mut state = self.state.clone();
        // A first connect is worth its few milliseconds; a link that is down is not waited for.
        let wait = self.timing.answer;
        let now = timeout(
            wait,
            state.wait_for(|s| !matches!(s, State::Idle | State::Connecting)),
        )
        .await
        .map_err(|_| SendError::Retry("still connecting to the SMSC".into()))?
        .map_err(|_| SendError::Retry("the SMPP link has stopped".into()))?
        .clone();
        if let State::Down(why) = now {
            return Err(SendError::Retry(format!("not bound to the SMSC: {why}")));
        }
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request { body, reply })
            .await
            .map_err(|_| SendError::Retry("the SMPP link has stopped".into()))?;
        match timeout(wait, answer).await {
            Ok(Ok(r)) => r,
            Ok(Err(_)) => Err(SendError::Retry(
                "the SMPP link dropped before the SMSC answered".into(),
            )),
            Err(_) => Err(SendError::Retry(format!(
                "no submit_sm_resp from the SMSC within {} s",
                wait.as_secs()
            ))),
        }
    }
}

/// How a session ended.
enum End {
    /// The senders are gone: the node is shutting down.
    Closed,
    /// The link failed, after a bind if `bound`.
    Failed { bound: bool, error: SmppError },
}

async fn run(mut task: Task) {
    let receipts = Receipts::new(task.store.clone());
    let t = task.timing;
    let mut backoff = t.backoff;
    let at = format!("{}:{}", task.url.host, task.url.port);
    loop {
        // Reconnects happen while the state still says Down: senders are not held up by them.
        let (bound, error) = match session(&mut task, &receipts).await {
            End::Closed => return,
            End::Failed { bound, error } => (bound, error),
        };
        if bound {
            backoff = t.backoff;
        }
        tracing::warn!(smsc = %at, %error, retry_in = backoff.as_secs(), "SMPP link down");
        task.state.send_replace(State::Down(error.to_string()));
        let wake = sleep(backoff);
        tokio::pin!(wake);
        loop {
            tokio::select! {
                () = &mut wake => break,
                r = task.requests.recv() => match r {
                    None => return,
                    Some(r) => {
                        let _ = r.reply.send(Err(SendError::Retry(format!("not bound to the SMSC: {error}"))));
                    }
                },
            }
        }
        backoff = (backoff * 2).min(t.max_backoff);
    }
}

/// The write half and the sequence numbers of one session.
struct Conn {
    w: OwnedWriteHalf,
    seq: u32,
    answer: Duration,
}

impl Conn {
    fn next_seq(&mut self) -> u32 {
        self.seq = following(self.seq);
        self.seq
    }

    async fn write(&mut self, p: &Pdu) -> Result<(), SmppError> {
        timeout(self.answer, self.w.write_all(&p.encode()))
            .await
            .map_err(|_| SmppError::Timeout("room to write"))??;
        Ok(())
    }
}

/// The sequence number after `seq`: 1 ..= 0x7FFFFFFF, as the spec allows.
fn following(seq: u32) -> u32 {
    seq % 0x7FFF_FFFF + 1
}

/// Aborts the reader when the session ends, however it ends.
struct Reader(tokio::task::JoinHandle<()>);

impl Drop for Reader {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn session(task: &mut Task, receipts: &Arc<Receipts>) -> End {
    let mut bound = false;
    match serve(task, receipts, &mut bound).await {
        Ok(()) => End::Closed,
        Err(error) => End::Failed { bound, error },
    }
}

async fn serve(
    task: &mut Task,
    receipts: &Arc<Receipts>,
    bound: &mut bool,
) -> Result<(), SmppError> {
    let url = &task.url;
    let t = task.timing;
    let stream = timeout(t.answer, TcpStream::connect((url.host.as_str(), url.port)))
        .await
        .map_err(|_| SmppError::Timeout("the TCP connection"))??;
    stream.set_nodelay(true)?;
    let (mut rd, w) = stream.into_split();
    let (tx, mut incoming) = mpsc::channel(64);
    let _reader = Reader(tokio::spawn(async move {
        loop {
            let r = pdu::read(&mut rd).await;
            let end = r.is_err();
            if tx.send(r).await.is_err() || end {
                break;
            }
        }
    }));
    let mut conn = Conn {
        w,
        seq: 0,
        answer: t.answer,
    };

    let bind = conn.next_seq();
    let body = pdu::bind_transceiver(&url.system_id, url.password.expose());
    conn.write(&Pdu::request(id::BIND_TRANSCEIVER, bind, body))
        .await?;
    let deadline = Instant::now() + t.answer;
    loop {
        let p = timeout_at(deadline, incoming.recv())
            .await
            .map_err(|_| SmppError::Timeout("bind_transceiver_resp"))?
            .ok_or(SmppError::Closed)??;
        match p.id {
            id::BIND_TRANSCEIVER_RESP | id::GENERIC_NACK if p.seq == bind => {
                if p.status != status::ROK {
                    return Err(SmppError::BindRefused(p.status));
                }
                break;
            }
            id::ENQUIRE_LINK => conn.write(&p.response(status::ROK, Vec::new())).await?,
            _ if p.is_request() => conn.write(&p.nack(status::RINVBNDSTS)).await?,
            _ => {}
        }
    }
    *bound = true;
    tracing::info!(smsc = %format!("{}:{}", url.host, url.port), system_id = %url.system_id, "SMPP bound as a transceiver");
    task.state.send_replace(State::Bound);

    let mut waiting: HashMap<u32, Reply> = HashMap::new();
    let mut tick = tokio::time::interval_at(Instant::now() + t.enquire_every, t.enquire_every);
    let mut enquiry: Option<(u32, Instant)> = None;
    loop {
        let silence = async {
            match enquiry {
                Some((_, at)) => sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = task.requests.recv() => {
                let Some(r) = r else {
                    unbind(&mut conn, &mut incoming).await;
                    return Ok(());
                };
                if r.reply.is_closed() {
                    continue;
                }
                let seq = conn.next_seq();
                conn.write(&Pdu::request(id::SUBMIT_SM, seq, r.body)).await?;
                waiting.insert(seq, r.reply);
            }
            p = incoming.recv() => {
                let p = p.ok_or(SmppError::Closed)??;
                match p.id {
                    id::SUBMIT_SM_RESP | id::GENERIC_NACK => {
                        if let Some(reply) = waiting.remove(&p.seq) {
                            let _ = reply.send(submitted(&p));
                        }
                    }
                    id::ENQUIRE_LINK_RESP if enquiry.is_some_and(|(seq, _)| seq == p.seq) => {
                        enquiry = None;
                    }
                    id::ENQUIRE_LINK => conn.write(&p.response(status::ROK, Vec::new())).await?,
                    id::DELIVER_SM => {
                        conn.write(&p.response(status::ROK, vec![0])).await?;
                        match pdu::Sm::decode(&p.body) {
                            Ok(sm) => match receipt::parse(&sm) {
                                Some(r) => receipts.record(r),
                                None => tracing::debug!("SMPP deliver_sm that is not a receipt, ignored"),
                            },
                            Err(e) => tracing::warn!(error = %e, "unreadable SMPP deliver_sm"),
                        }
                    }
                    id::UNBIND => {
                        conn.write(&p.response(status::ROK, Vec::new())).await?;
                        return Err(SmppError::Unbound);
                    }
                    _ if p.is_request() => conn.write(&p.nack(status::RINVCMDID)).await?,
                    _ => {}
                }
            }
            _ = tick.tick() => {
                if enquiry.is_none() {
                    let seq = conn.next_seq();
                    conn.write(&Pdu::request(id::ENQUIRE_LINK, seq, Vec::new())).await?;
                    enquiry = Some((seq, Instant::now() + t.answer));
                }
                // Senders that gave up waiting leave their entry behind.
                waiting.retain(|_, reply| !reply.is_closed());
            }
            () = silence => return Err(SmppError::Timeout("enquire_link_resp")),
        }
    }
}

/// What a submit_sm_resp (or a generic_nack for it) means for the message.
fn submitted(p: &Pdu) -> Result<String, SendError> {
    match p.status {
        status::ROK if p.id == id::SUBMIT_SM_RESP => {
            pdu::message_id(&p.body).map_err(|e| SendError::Retry(format!("submit_sm_resp: {e}")))
        }
        status::RTHROTTLED
        | status::RMSGQFUL
        | status::RSYSERR
        | status::RINVBNDSTS
        | status::RX_T_APPN => Err(SendError::Retry(format!(
            "the SMSC asked us to try later (command_status {:#04x})",
            p.status
        ))),
        other => Err(SendError::Refused(format!(
            "the SMSC refused it (command_status {other:#04x})"
        ))),
    }
}

/// Ends the session politely: unbind, and a short wait for its answer.
async fn unbind(conn: &mut Conn, incoming: &mut mpsc::Receiver<Result<Pdu, SmppError>>) {
    let seq = conn.next_seq();
    if conn
        .write(&Pdu::request(id::UNBIND, seq, Vec::new()))
        .await
        .is_err()
    {
        return;
    }
    let _ = timeout(Duration::from_secs(1), async {
        while let Some(Ok(p)) = incoming.recv().await {
            if p.id == id::UNBIND_RESP {
                break;
            }
        }
    })
    .await;
}

#[cfg(test)]
mod tests;
