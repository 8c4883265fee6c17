## connectid sign-in pages, messages and assets — Thai (th).
## Terminology: "ลงชื่อเข้าใช้" (sign in), "ออกจากระบบ" (sign out), "ลงชื่อเข้าใช้ในชื่อ" (signed in as).
## Thai has one plural form (CLDR "other"), so no select expressions are needed.
## The one-time code is always "รหัสยืนยัน" (verification code), never a bare "รหัส", so it
## reads differently from "รหัสผ่าน" (password). Only sms-code says "รหัส CONNECT ID", for
## the 70-character UCS-2 limit (the SMS carries the code itself).

brand = CONNECT ID
language = ภาษา

## The first screen (data-step="identifier")
signin-title = ลงชื่อเข้าใช้
identifier-label-phone = หมายเลขโทรศัพท์
identifier-label-email = อีเมล
identifier-label-phone-or-email = หมายเลขโทรศัพท์หรืออีเมล
identifier-label-email-or-phone = อีเมลหรือหมายเลขโทรศัพท์
identifier-placeholder-email = name@example.com
identifier-locked = บริการนี้ขอให้คุณลงชื่อเข้าใช้ด้วยหมายเลขโทรศัพท์หรืออีเมลนี้
remember = ลงชื่อเข้าใช้ค้างไว้
button-next = ถัดไป

## Password (data-step="password")
password-title = ป้อนรหัสผ่าน
signing-in-as = กำลังลงชื่อเข้าใช้ในชื่อ { $identifier }
password-label = รหัสผ่าน
button-signin = ลงชื่อเข้าใช้
not-you = ไม่ใช่คุณใช่ไหม? ใช้หมายเลขโทรศัพท์หรืออีเมลอื่น
forgot-password = ลืมรหัสผ่าน?

## One-time code (data-step="code")
code-title = ป้อนรหัสยืนยัน
code-sent = เราส่งรหัสยืนยัน 6 หลักไปที่ { $identifier } แล้ว
code-label = รหัสยืนยัน
button-continue = ดำเนินการต่อ
code-resend = ส่งรหัสยืนยันใหม่

## Choose a password (data-step="set-password")
set-password-title = ตั้งรหัสผ่าน
set-password-for = สำหรับ { $identifier }
password-rules = ต้องมีอย่างน้อย { $min } อักขระ หลีกเลี่ยงรหัสผ่านที่คนใช้กันทั่วไป
new-password-label = รหัสผ่านใหม่
strength-label = ความปลอดภัยของรหัสผ่าน
strength-0 = อ่อนมาก
strength-1 = อ่อน
strength-2 = พอใช้
strength-3 = ดี
strength-4 = ปลอดภัยสูง

## Add an email (data-step="add-email")
add-email-title = เพิ่มอีเมลของคุณ
add-email-text = { $client } ต้องใช้อีเมลสำหรับบัญชีของคุณ เราจะส่งรหัสยืนยันไปที่อีเมลนี้เพื่อตรวจสอบ
email-label = อีเมล

## Consent (data-step="consent")
consent-title = อนุญาตให้ { $client } ใช้บัญชีของคุณหรือไม่
signed-in-as = ลงชื่อเข้าใช้ในชื่อ { $identifier }
scope-openid = ยืนยันว่าเป็นคุณ
scope-profile = ชื่อและภาษาของคุณ
scope-email = อีเมลของคุณ
scope-phone = หมายเลขโทรศัพท์ของคุณ
scope-offline_access = เชื่อมต่อไว้แม้ในขณะที่คุณไม่ได้ใช้งาน
scope-device_sso = ให้คุณลงชื่อเข้าใช้แอปอื่นของผู้เผยแพร่รายเดียวกันบนอุปกรณ์นี้ต่อไป
button-allow = อนุญาต
button-deny = ปฏิเสธ

## Signing out
logout-title = ออกจากระบบ CONNECT ID หรือไม่
button-signout = ออกจากระบบ
signed-out-title = คุณออกจากระบบแล้ว
signed-out-text = คุณออกจากระบบ CONNECT ID บนอุปกรณ์นี้แล้ว
signed-out-everywhere-title = คุณออกจากระบบในทุกอุปกรณ์แล้ว
signed-out-everywhere-text = ทุกเซสชันของบัญชี CONNECT ID ของคุณสิ้นสุดลงแล้ว ทั้งบนอุปกรณ์นี้ บนอุปกรณ์อื่นๆ ของคุณ และในทุกบริการ
signed-out-signin-again = ลงชื่อเข้าใช้อีกครั้ง

## Error pages (data-step="error")
error-title = เกิดข้อผิดพลาด
error-details-label = รายละเอียดสำหรับนักพัฒนาของบริการ:
error-reference = หมายเลขอ้างอิง: { $id }
error-bad-request = บริการส่งคำขอลงชื่อเข้าใช้ที่ CONNECT ID ยอมรับไม่ได้ โปรดกลับไปที่บริการแล้วลองอีกครั้ง
error-unknown-client = บริการนี้ไม่ได้ลงทะเบียนไว้กับ CONNECT ID
error-signin-expired = การลงชื่อเข้าใช้นี้หมดอายุแล้ว โปรดกลับไปที่บริการแล้วเริ่มใหม่
error-other-browser = การลงชื่อเข้าใช้นี้เริ่มต้นในเบราว์เซอร์อื่น โปรดกลับไปที่บริการแล้วเริ่มใหม่
error-form-expired = แบบฟอร์มหมดอายุแล้ว โปรดย้อนกลับแล้วลองอีกครั้ง
error-server = เกิดข้อผิดพลาดในระบบของเรา โปรดลองอีกครั้ง
error-answer-not-sent = ส่งคำตอบกลับไปยังบริการไม่ได้
error-not-found = ไม่พบหน้านี้
error-account-locked = บัญชี CONNECT ID ของคุณถูกล็อก โปรดติดต่อฝ่ายสนับสนุนของบริการเพื่อปลดล็อก

## Messages shown above a form (role="alert")
err-identifier-empty = ป้อนหมายเลขโทรศัพท์หรืออีเมล
err-identifier-phone = หมายเลขโทรศัพท์นี้ไม่ถูกต้อง
err-identifier-email = อีเมลนี้ไม่ถูกต้อง
err-enter-phone = ป้อนหมายเลขโทรศัพท์
err-enter-email = ป้อนอีเมล
err-locked = ใช้หมายเลขโทรศัพท์หรืออีเมลของบัญชีที่คุณลงชื่อเข้าใช้อยู่ หรือเลือก “ไม่ใช่คุณใช่ไหม?”
err-hint-locked = ใช้หมายเลขโทรศัพท์หรืออีเมลที่บริการนี้ขอ
err-no-sms = บริการนี้ไม่ส่งรหัสยืนยันทาง SMS โปรดลงชื่อเข้าใช้ด้วยอีเมลและรหัสผ่าน
err-sms-refused = เราไม่สามารถส่งรหัสยืนยันทาง SMS ไปยังหมายเลขนี้ได้
err-sms-refused-email = เราไม่สามารถส่งรหัสยืนยันทาง SMS ไปยังหมายเลขนี้ได้ โปรดลงชื่อเข้าใช้ด้วยอีเมลแทน
err-sms-challenge = ก่อนที่เราจะส่งรหัสยืนยัน เบราว์เซอร์ของคุณจะตรวจสอบว่าคุณเป็นมนุษย์ ใช้เวลาเพียงครู่เดียว
challenge-working = กำลังตรวจสอบ…
challenge-noscript = การตรวจสอบนี้ต้องใช้ JavaScript หากไม่มี ให้ลงชื่อเข้าใช้ด้วยอีเมลหรือรหัสผ่านของคุณแทน
err-sms-budget = วันนี้ไม่สามารถส่งรหัสยืนยันทาง SMS ได้อีกแล้ว โปรดลองอีกครั้งพรุ่งนี้
err-resend-wait = เพิ่งส่งรหัสยืนยันไปเมื่อสักครู่ โปรดรอ { $seconds } วินาทีก่อนขอรหัสยืนยันใหม่
err-too-many-sends = มีการส่งรหัสยืนยันไปยังหมายเลขหรืออีเมลนี้หลายครั้งเกินไป โปรดลองอีกครั้งในอีก 1 ชั่วโมง
err-send-failed = ส่งรหัสยืนยันไม่สำเร็จ โปรดลองอีกครั้งในอีกสักครู่
err-unavailable = ไม่สามารถทำได้ในขณะนี้ โปรดลองอีกครั้งในอีกไม่กี่นาที
err-too-many-passwords = ป้อนรหัสผ่านผิดหลายครั้งเกินไป โปรดรอ { $minutes } นาทีแล้วลองอีกครั้ง
err-too-many-attempts = ลองหลายครั้งเกินไป โปรดรอ { $minutes } นาทีแล้วลองอีกครั้ง
err-password-wrong = รหัสผ่านไม่ถูกต้อง โปรดลองอีกครั้ง
err-code-expired = รหัสยืนยันหมดอายุแล้ว โปรดขอรหัสยืนยันใหม่
err-code-too-many = ป้อนรหัสยืนยันผิดหลายครั้งเกินไป โปรดขอรหัสยืนยันใหม่
err-code-wrong = รหัสยืนยันไม่ถูกต้อง โปรดตรวจสอบแล้วลองอีกครั้ง
err-conflict = มีการเปลี่ยนแปลงเกิดขึ้นระหว่างนี้ โปรดลองอีกครั้ง
err-password-short = รหัสผ่านต้องมีอย่างน้อย { $min } อักขระ
err-password-long = รหัสผ่านยาวเกินไป (สูงสุด 128 ไบต์)
err-password-common = รหัสผ่านนี้ใช้กันทั่วไปเกินไป โปรดเลือกรหัสผ่านอื่น
err-password-weak = รหัสผ่านนี้เดาง่ายเกินไป โปรดตั้งให้ยาวขึ้นหรือคาดเดาได้ยากขึ้น
err-password-identifier = รหัสผ่านต้องไม่ใช่หมายเลขโทรศัพท์หรืออีเมลของคุณ
err-email-taken = อีเมลนี้เป็นของบัญชีอื่นแล้ว โปรดใช้อีเมลอื่น

## SMS and email texts (the WebOTP line is added after the SMS text)
## Thai SMS is always UCS-2 (70 characters per segment), so the text is kept short.
sms-code = รหัส CONNECT ID: { $code } ใช้ได้ 5 นาที
email-code-subject = รหัสยืนยัน CONNECT ID ของคุณ
email-code-body = รหัสยืนยัน CONNECT ID ของคุณคือ { $code } รหัสนี้จะหมดอายุใน 5 นาที หากคุณไม่ได้พยายามลงชื่อเข้าใช้ คุณไม่ต้องสนใจอีเมลนี้
password-changed-subject = รหัสผ่าน CONNECT ID ของคุณถูกเปลี่ยนแล้ว
password-changed-body = รหัสผ่านของบัญชี CONNECT ID ของคุณถูกเปลี่ยนแล้ว หากคุณไม่ได้เป็นผู้เปลี่ยน โปรดรีเซ็ตรหัสผ่านทันที

## The "Sign in with CONNECT ID" button
signin-button = ลงชื่อเข้าใช้ด้วย CONNECT ID

## The flow previewer (/flow-previewer)
previewer-title = ตัวอย่างขั้นตอนการลงชื่อเข้าใช้
previewer-intro = ดูการลงชื่อเข้าใช้แต่ละขั้นตอนอย่างที่ผู้ใช้จะเห็นตามการตั้งค่าของบริการของคุณ ระบบจะไม่ส่งข้อมูลใดๆ และจะไม่มีใครลงชื่อเข้าใช้
previewer-client-id = Client ID ของบริการที่ลงทะเบียนไว้
previewer-metadata = หรือวางข้อมูลเมตาของไคลเอ็นต์ (JSON)
previewer-step = ขั้นตอน
previewer-login-hint = หมายเลขโทรศัพท์หรืออีเมลที่จะกรอกไว้ล่วงหน้า (login_hint)
previewer-locked = ลงชื่อเข้าใช้ได้ด้วยหมายเลขโทรศัพท์หรืออีเมลนี้เท่านั้น (login_hint_locked)
previewer-show = แสดงตัวอย่าง
previewer-banner = ตัวอย่างของขั้นตอน “{ $step }” แบบฟอร์มในหน้านี้จะไม่ส่งข้อมูลใดๆ
previewer-back = เปลี่ยนการตั้งค่า
previewer-unknown-client = ไม่มีบริการที่ลงทะเบียนด้วย Client ID นี้
previewer-need-client = ป้อน Client ID หรือวางข้อมูลเมตาของไคลเอ็นต์
previewer-invalid-metadata = ข้อมูลเมตาของไคลเอ็นต์นี้ไม่ถูกต้อง

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = บัญชีของฉัน
account-nav = บัญชี
account-phones = หมายเลขโทรศัพท์
account-emails = อีเมล
account-none = ยังไม่มี
account-unverified = ยังไม่ได้ยืนยัน
account-remove = นำออก
account-remove-label = นำ { $identifier } ออก
account-add-phone = เพิ่มหมายเลขโทรศัพท์
account-add-email = เพิ่มอีเมล
account-add-text = เราจะส่งรหัสยืนยันไปให้คุณ
account-password = รหัสผ่าน
account-password-change = เปลี่ยนรหัสผ่าน
account-password-set = ตั้งรหัสผ่าน
account-password-none = คุณลงชื่อเข้าใช้ด้วยรหัสยืนยันเท่านั้น
account-services = บริการที่เชื่อมต่อ
account-services-text = บริการที่คุณลงชื่อเข้าใช้ด้วย CONNECT ID หากยกเลิกการเชื่อมต่อบริการใด คุณจะออกจากระบบของบริการนั้น และบริการจะขอให้คุณลงชื่อเข้าใช้อีกครั้ง
account-services-none = ยังไม่มีบริการที่เชื่อมต่อกับบัญชีของคุณ
account-services-manage = ดูและยกเลิกการเชื่อมต่อบริการของคุณ
account-disconnect = ยกเลิกการเชื่อมต่อ
account-disconnect-label = ยกเลิกการเชื่อมต่อกับ { $service }
account-signout-everywhere = ออกจากระบบในทุกอุปกรณ์
account-signout-everywhere-text = ออกจากระบบในทุกอุปกรณ์และทุกบริการ รวมถึงที่นี่ด้วย
account-delete = ลบบัญชี
account-delete-text = บัญชีของคุณ รวมถึงหมายเลขโทรศัพท์และอีเมลทั้งหมดในบัญชีจะถูกลบ และคุณจะออกจากระบบของทุกบริการ การดำเนินการนี้ย้อนกลับไม่ได้
account-delete-confirm = ลบบัญชีของฉัน
account-deleted-title = ลบบัญชีของคุณแล้ว
account-deleted-text = บัญชี CONNECT ID ของคุณและข้อมูลทั้งหมดที่จัดเก็บไว้ถูกลบแล้ว
account-back = กลับไปที่ { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = นำ { $identifier } ออกหรือไม่
account-remove-text = คุณจะลงชื่อเข้าใช้ด้วย { $identifier } ไม่ได้อีกต่อไป และจะไม่มีการส่งรหัสยืนยันไปยังหมายเลขหรืออีเมลนี้อีก
account-remove-confirm = นำออก
account-reauth-reason = หากต้องการเปลี่ยนแปลงบัญชีของคุณ โปรดยืนยันก่อนว่าเป็นคุณ
button-cancel = ยกเลิก
button-save = บันทึก
button-add = เพิ่ม
notice-password-changed = เปลี่ยนรหัสผ่านแล้ว และคุณออกจากระบบบนอุปกรณ์อื่นๆ แล้ว
notice-identifier-added = เพิ่ม { $identifier } ลงในบัญชีของคุณแล้ว
notice-identifier-removed = นำ { $identifier } ออกจากบัญชีของคุณแล้ว
notice-service-disconnected = ยกเลิกการเชื่อมต่อ { $service } แล้ว
err-last-identifier = นำหมายเลขโทรศัพท์หรืออีเมลรายการสุดท้ายออกไม่ได้
err-identifier-taken = หมายเลขโทรศัพท์หรืออีเมลนี้เป็นของบัญชีอื่นแล้ว
err-identifier-known = หมายเลขโทรศัพท์หรืออีเมลนี้อยู่ในบัญชีของคุณแล้ว
identifier-added-subject = มีการเพิ่มหมายเลขโทรศัพท์หรืออีเมลใหม่ใน CONNECT ID ของคุณ
identifier-added-body = มีการเพิ่ม { $identifier } ลงในบัญชี CONNECT ID ของคุณ หากคุณไม่ได้เป็นผู้เพิ่ม โปรดลงชื่อเข้าใช้เพื่อนำออก แล้วเปลี่ยนรหัสผ่าน

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = ดำเนินการต่อในชื่อ { $identifier } หรือไม่
preauth-text = { $service } กำลังเปิดหน้าเว็บให้คุณโดยลงชื่อเข้าใช้ด้วย CONNECT ID ของคุณ ดำเนินการต่อเฉพาะเมื่อคุณเปิดจากแอปด้วยตนเองเท่านั้น
error-link-used = ลิงก์นี้หมดอายุหรือถูกใช้ไปแล้ว กลับไปที่แอปแล้วลองอีกครั้ง

## The start page (/): data-step="home"
home-text = บริการต่างๆ จะส่งคุณมาที่นี่เพื่อลงชื่อเข้าใช้ด้วย CONNECT ID ของคุณ และคุณยังจัดการบัญชีของคุณได้ที่นี่ด้วย
home-demo = ลองใช้บริการสาธิต
home-discovery = OpenID Connect Discovery (สำหรับนักพัฒนา)
