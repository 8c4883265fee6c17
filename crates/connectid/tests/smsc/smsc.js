// A fake SMSC (SMPP 3.4 server) for crates/connectid/tests/smpp.rs, on npm `smpp` 0.5.1.
//
//   node smsc.js <port, 0 for any> <system_id> <password>
//
// Standard output is JSON lines, for the test to read: {"listening": port} once, then one
// line per bind, per submit_sm (taken, with its message id), and per deliver_sm_resp. A
// submit_sm that asks for a receipt gets one 50 ms later, as a deliver_sm with the receipt
// bit, the receipted_message_id and message_state parameters, and the usual text.
const smpp = require('smpp');

const [port, SYSTEM_ID, PASSWORD] = [Number(process.argv[2] || 0), process.argv[3] || 'idp', process.argv[4] || 'secret'];
let nextId = 1;
const ts = (d) => d.toISOString().replace(/\D/g, '').slice(2, 12); // YYMMDDhhmm
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const server = smpp.createServer((session) => {
  let bound = false;
  session.on('error', () => {}); // a peer reset; 'close' follows
  session.on('bind_transceiver', (pdu) => {
    session.pause();
    const ok = pdu.system_id === SYSTEM_ID && pdu.password === PASSWORD;
    out({ bind: pdu.system_id, ok });
    session.send(pdu.response(ok ? { system_id: 'FAKESMSC' } : { command_status: smpp.ESME_RBINDFAIL }));
    if (ok) { bound = true; session.resume(); } else { session.close(); }
  });
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
  session.on('deliver_sm_resp', (pdu) => out({ deliver_sm_resp: pdu.sequence_number, command_status: pdu.command_status }));
  session.on('unknown', (pdu) => session.send(pdu.response())); // generic_nack
  session.on('submit_sm', (pdu) => {
    if (!bound) return session.send(pdu.response({ command_status: smpp.ESME_RINVBNDSTS }));
    const id = `smsc-${nextId++}`;
    const sm = pdu.short_message || {};
    out({
      message_id: id, source_addr: pdu.source_addr, source_addr_ton: pdu.source_addr_ton,
      destination_addr: pdu.destination_addr, dest_addr_ton: pdu.dest_addr_ton, dest_addr_npi: pdu.dest_addr_npi,
      data_coding: pdu.data_coding, esm_class: pdu.esm_class, registered_delivery: pdu.registered_delivery,
      short_message: Buffer.isBuffer(sm) ? sm.toString('hex') : sm.message,
      udh: (sm.udh || []).map((b) => b.toString('hex')),
    });
    session.send(pdu.response({ message_id: id }));
    if (pdu.registered_delivery & 0x01) {
      const now = ts(new Date());
      const text = `id:${id} sub:001 dlvr:001 submit date:${now} done date:${now} stat:DELIVRD err:000 text:`;
      setTimeout(() => session.deliver_sm({
        source_addr: pdu.destination_addr, destination_addr: pdu.source_addr,
        esm_class: smpp.ESM_CLASS.MC_DELIVERY_RECEIPT, // 0x04
        data_coding: 0, short_message: Buffer.from(text, 'ascii'), // a Buffer is sent as is
        receipted_message_id: id, message_state: smpp.MESSAGE_STATE.DELIVERED,
      }), 50);
    }
  });
});
server.listen(port, '127.0.0.1', () => out({ listening: server.address().port }));
