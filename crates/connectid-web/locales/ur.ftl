## connectid sign-in pages, messages and assets — Urdu, Pakistan (ur), right-to-left.
## Terminology: "سائن ان کریں" (sign in), "سائن آؤٹ کریں" (sign out), "… کے طور پر سائن ان ہیں" (signed in as;
## never "بطور"). CONNECT ID is masculine ("CONNECT ID قبول نہیں کر سکتا", "اپنے CONNECT ID سے").
## Pages set dir="rtl" and wrap inserted identifiers in <bdi>, so page texts need no bidi marks
## (texts sent by SMS and email do: see sms-code).

brand = CONNECT ID
language = زبان

## The first screen (data-step="identifier")
signin-title = سائن ان کریں
identifier-label-phone = فون نمبر
identifier-label-email = ای میل
identifier-label-phone-or-email = فون نمبر یا ای میل
identifier-label-email-or-phone = ای میل یا فون نمبر
identifier-placeholder-email = name@example.com
identifier-locked = اس سروس نے آپ سے اس فون نمبر یا ای میل سے سائن ان کرنے کو کہا ہے۔
remember = سائن ان رہیں
button-next = اگلا

## Password (data-step="password")
password-title = اپنا پاس ورڈ درج کریں
signing-in-as = { $identifier } کے طور پر سائن ان کر رہے ہیں
password-label = پاس ورڈ
button-signin = سائن ان کریں
not-you = آپ نہیں ہیں؟ کوئی دوسرا فون نمبر یا ای میل استعمال کریں
forgot-password = پاس ورڈ بھول گئے؟

## One-time code (data-step="code")
code-title = کوڈ درج کریں
code-sent = ہم نے { $identifier } پر 6 ہندسوں کا کوڈ بھیجا ہے۔
code-label = کوڈ
button-continue = جاری رکھیں
code-resend = نیا کوڈ بھیجیں

## Choose a password (data-step="set-password")
set-password-title = پاس ورڈ منتخب کریں
set-password-for = { $identifier } کے لیے۔
password-rules = کم از کم { $min ->
    [one] { $min } حرف
   *[other] { $min } حروف
  }۔ عام پاس ورڈز سے گریز کریں۔
new-password-label = نیا پاس ورڈ
strength-label = پاس ورڈ کی مضبوطی
strength-0 = بہت کمزور
strength-1 = کمزور
strength-2 = مناسب
strength-3 = اچھا
strength-4 = مضبوط

## Add an email (data-step="add-email")
add-email-title = اپنا ای میل پتہ شامل کریں
add-email-text = { $client } کو آپ کے اکاؤنٹ کے لیے ای میل پتہ درکار ہے۔ ہم اس کی تصدیق کے لیے ایک کوڈ بھیجیں گے۔
email-label = ای میل

## Consent (data-step="consent")
consent-title = { $client } کو اپنا اکاؤنٹ استعمال کرنے کی اجازت دیں؟
signed-in-as = { $identifier } کے طور پر سائن ان ہیں
scope-openid = یہ جاننا کہ یہ آپ ہی ہیں
scope-profile = آپ کا نام اور زبان
scope-email = آپ کا ای میل پتہ
scope-phone = آپ کا فون نمبر
scope-offline_access = آپ کے استعمال نہ کرنے کے دوران بھی منسلک رہنا
scope-device_sso = اس ڈیوائس پر اسی پبلشر کی دوسری ایپس میں آپ کو سائن ان رکھنا
button-allow = اجازت دیں
button-deny = اجازت نہ دیں

## Signing out
logout-title = CONNECT ID سے سائن آؤٹ کریں؟
button-signout = سائن آؤٹ کریں
signed-out-title = آپ سائن آؤٹ ہو گئے ہیں
signed-out-text = آپ اس ڈیوائس پر CONNECT ID سے سائن آؤٹ ہو گئے ہیں۔
signed-out-everywhere-title = آپ ہر ڈیوائس پر سائن آؤٹ ہو گئے ہیں
signed-out-everywhere-text = آپ کے CONNECT ID اکاؤنٹ کے تمام سیشنز ختم ہو گئے ہیں: اس ڈیوائس پر، آپ کی دوسری ڈیوائسز پر اور ہر سروس میں۔
signed-out-signin-again = دوبارہ سائن ان کریں

## Error pages (data-step="error")
error-title = کچھ غلط ہو گیا
error-details-label = سروس کے ڈویلپرز کے لیے تفصیلات:
error-reference = حوالہ: { $id }
error-bad-request = سروس نے سائن ان کی ایسی درخواست بھیجی ہے جسے CONNECT ID قبول نہیں کر سکتا۔ سروس پر واپس جائیں اور دوبارہ کوشش کریں۔
error-unknown-client = یہ سروس CONNECT ID کے ساتھ رجسٹرڈ نہیں ہے۔
error-signin-expired = اس سائن ان کی میعاد ختم ہو گئی ہے۔ سروس پر واپس جائیں اور دوبارہ شروع کریں۔
error-other-browser = یہ سائن ان کسی دوسرے براؤزر میں شروع کیا گیا تھا۔ سروس پر واپس جائیں اور دوبارہ شروع کریں۔
error-form-expired = فارم کی میعاد ختم ہو گئی ہے۔ واپس جائیں اور دوبارہ کوشش کریں۔
error-server = ہماری طرف کچھ غلط ہو گیا۔ براہ کرم دوبارہ کوشش کریں۔
error-answer-not-sent = جواب سروس کو نہیں بھیجا جا سکا۔
error-not-found = یہ صفحہ موجود نہیں ہے۔
error-account-locked = آپ کا CONNECT ID اکاؤنٹ مقفل ہے۔ اسے کھلوانے کے لیے سروس کی سپورٹ سے رابطہ کریں۔

## Messages shown above a form (role="alert")
err-identifier-empty = فون نمبر یا ای میل پتہ درج کریں۔
err-identifier-phone = یہ درست فون نمبر نہیں ہے۔
err-identifier-email = یہ درست ای میل پتہ نہیں ہے۔
err-enter-phone = فون نمبر درج کریں۔
err-enter-email = ای میل پتہ درج کریں۔
err-locked = اس اکاؤنٹ کا فون نمبر یا ای میل استعمال کریں جس سے آپ سائن ان ہیں، یا ”آپ نہیں ہیں؟“ منتخب کریں۔
err-hint-locked = وہی فون نمبر یا ای میل استعمال کریں جو اس سروس نے مانگا ہے۔
err-no-sms = یہ سروس SMS کوڈ نہیں بھیجتی۔ اپنے ای میل اور پاس ورڈ سے سائن ان کریں۔
err-sms-refused = ہم اس نمبر پر SMS سے کوڈ نہیں بھیج سکتے۔
err-sms-refused-email = ہم اس نمبر پر SMS سے کوڈ نہیں بھیج سکتے۔ اس کی بجائے اپنے ای میل ایڈریس سے سائن ان کریں۔
err-sms-challenge = کوڈ بھیجنے سے پہلے آپ کا براؤزر جانچتا ہے کہ آپ انسان ہیں۔ اس میں ایک لمحہ لگتا ہے۔
challenge-working = جانچ ہو رہی ہے…
challenge-noscript = اس جانچ کے لیے JavaScript درکار ہے۔ اس کے بغیر اپنے ای میل پتے یا پاس ورڈ سے سائن ان کریں۔
err-sms-budget = آج مزید کوڈ SMS سے نہیں بھیجے جا سکتے۔ کل دوبارہ کوشش کریں۔
err-resend-wait = ابھی ایک کوڈ بھیجا گیا ہے۔ نیا کوڈ مانگنے سے پہلے { $seconds ->
    [one] { $seconds } سیکنڈ
   *[other] { $seconds } سیکنڈ
  } انتظار کریں۔
err-too-many-sends = اس نمبر یا پتے پر بہت زیادہ کوڈز بھیجے جا چکے ہیں۔ ایک گھنٹے بعد دوبارہ کوشش کریں۔
err-send-failed = کوڈ نہیں بھیجا جا سکا۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔
err-unavailable = یہ ابھی نہیں ہو سکتا۔ چند منٹ بعد دوبارہ کوشش کریں۔
err-too-many-passwords = بہت زیادہ غلط پاس ورڈز۔ { $minutes ->
    [one] { $minutes } منٹ
   *[other] { $minutes } منٹ
  } انتظار کریں اور دوبارہ کوشش کریں۔
err-too-many-attempts = بہت زیادہ کوششیں۔ { $minutes ->
    [one] { $minutes } منٹ
   *[other] { $minutes } منٹ
  } انتظار کریں اور دوبارہ کوشش کریں۔
err-password-wrong = پاس ورڈ درست نہیں ہے۔ دوبارہ کوشش کریں۔
err-code-expired = کوڈ کی میعاد ختم ہو گئی ہے۔ نیا کوڈ مانگیں۔
err-code-too-many = بہت زیادہ غلط کوڈز۔ نیا کوڈ مانگیں۔
err-code-wrong = کوڈ درست نہیں ہے۔ اسے چیک کریں اور دوبارہ کوشش کریں۔
err-conflict = اس دوران کچھ تبدیل ہو گیا۔ دوبارہ کوشش کریں۔
err-password-short = پاس ورڈ کم از کم { $min ->
    [one] { $min } حرف
   *[other] { $min } حروف
  } کا ہونا چاہیے۔
err-password-long = پاس ورڈ بہت لمبا ہے (زیادہ سے زیادہ 128 بائٹس)۔
err-password-common = یہ پاس ورڈ بہت عام ہے۔ کوئی دوسرا منتخب کریں۔
err-password-weak = اس پاس ورڈ کا اندازہ لگانا بہت آسان ہے۔ اسے لمبا بنائیں یا ایسا رکھیں جس کا اندازہ لگانا مشکل ہو۔
err-password-identifier = پاس ورڈ آپ کا فون نمبر یا ای میل نہیں ہو سکتا۔
err-email-taken = یہ ای میل پتہ کسی دوسرے اکاؤنٹ سے منسلک ہے۔ کوئی دوسرا ای میل پتہ استعمال کریں۔

## SMS and email texts (the WebOTP line is added after the SMS text)
## Urdu SMS is always UCS-2 (70 characters per segment), so the text is kept short.
## Texts sent out (SMS, email) must start right-to-left, or phones lay them out left to right:
## start with an Urdu word, or (in sms-code, where every character counts) with
## { "\u200F" }, the RIGHT-TO-LEFT MARK.
sms-code = { "\u200F" }CONNECT ID کوڈ: { $code }۔ 5 منٹ تک درست ہے۔
email-code-subject = آپ کا CONNECT ID کوڈ
email-code-body = آپ کا CONNECT ID کوڈ { $code } ہے۔ یہ 5 منٹ میں ختم ہو جائے گا۔ اگر آپ نے سائن ان کرنے کی کوشش نہیں کی تو اس ای میل کو نظر انداز کر دیں۔
password-changed-subject = آپ کا CONNECT ID پاس ورڈ تبدیل کر دیا گیا ہے
password-changed-body = آپ کے CONNECT ID اکاؤنٹ کا پاس ورڈ تبدیل کر دیا گیا ہے۔ اگر یہ آپ نے نہیں کیا تو فوراً اپنا پاس ورڈ ری سیٹ کریں۔

## The "Sign in with CONNECT ID" button
signin-button = CONNECT ID کے ساتھ سائن ان کریں

## The flow previewer (/flow-previewer)
previewer-title = سائن ان کے مراحل کا پیش منظر
previewer-intro = اپنی سروس کی سیٹنگز کے ساتھ سائن ان کا ہر مرحلہ ویسا ہی دیکھیں جیسا لوگ دیکھیں گے۔ کچھ نہیں بھیجا جاتا اور کوئی سائن ان نہیں ہوتا۔
previewer-client-id = رجسٹرڈ سروس کی کلائنٹ آئی ڈی
previewer-metadata = یا کلائنٹ میٹا ڈیٹا (JSON) پیسٹ کریں
previewer-step = مرحلہ
previewer-login-hint = پہلے سے بھرا جانے والا فون نمبر یا ای میل (login_hint)
previewer-locked = صرف اسی فون نمبر یا ای میل سے سائن ان کیا جا سکتا ہے (login_hint_locked)
previewer-show = پیش منظر دکھائیں
previewer-banner = { $step } مرحلے کا پیش منظر۔ یہاں کے فارم کچھ نہیں بھیجتے۔
previewer-back = سیٹنگز تبدیل کریں
previewer-unknown-client = اس کلائنٹ آئی ڈی کے ساتھ کوئی سروس رجسٹرڈ نہیں ہے۔
previewer-need-client = کلائنٹ آئی ڈی درج کریں یا کلائنٹ میٹا ڈیٹا پیسٹ کریں۔
previewer-invalid-metadata = یہ کلائنٹ میٹا ڈیٹا درست نہیں ہے۔

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = میرا اکاؤنٹ
account-nav = اکاؤنٹ
account-phones = فون نمبرز
account-emails = ای میل پتے
account-none = ابھی کوئی نہیں
account-unverified = غیر تصدیق شدہ
account-remove = ہٹائیں
account-remove-label = { $identifier } ہٹائیں
account-add-phone = فون نمبر شامل کریں
account-add-email = ای میل پتہ شامل کریں
account-add-text = ہم اس کی تصدیق کے لیے ایک کوڈ بھیجیں گے۔
account-password = پاس ورڈ
account-password-change = پاس ورڈ تبدیل کریں
account-password-set = پاس ورڈ منتخب کریں
account-password-none = آپ صرف کوڈز کے ذریعے سائن ان کرتے ہیں۔
account-services = منسلک سروسز
account-services-text = وہ سروسز جن میں آپ نے CONNECT ID کے ساتھ سائن ان کیا ہے۔ کسی سروس کو منقطع کرنے سے آپ اس سے سائن آؤٹ ہو جائیں گے اور وہ آپ سے دوبارہ سائن ان کرنے کو کہے گی۔
account-services-none = آپ کے اکاؤنٹ سے کوئی سروس منسلک نہیں ہے۔
account-services-manage = اپنی سروسز دیکھیں اور انہیں منقطع کریں
account-disconnect = منقطع کریں
account-disconnect-label = { $service } سے منقطع کریں
account-signout-everywhere = ہر ڈیوائس پر سائن آؤٹ کریں
account-signout-everywhere-text = اس ڈیوائس سمیت ہر ڈیوائس اور ہر سروس پر آپ کے سیشنز ختم ہو جائیں گے۔
account-delete = اکاؤنٹ حذف کریں
account-delete-text = آپ کا اکاؤنٹ، اس کے فون نمبرز اور ای میل پتے حذف کر دیے جائیں گے، اور آپ ہر سروس سے سائن آؤٹ ہو جائیں گے۔ یہ عمل واپس نہیں لیا جا سکتا۔
account-delete-confirm = میرا اکاؤنٹ حذف کریں
account-deleted-title = آپ کا اکاؤنٹ حذف کر دیا گیا
account-deleted-text = آپ کا CONNECT ID اکاؤنٹ اور اس میں محفوظ تمام معلومات حذف ہو چکی ہیں۔
account-back = { $service } پر واپس جائیں
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = کیا { $identifier } ہٹا دیں؟
account-remove-text = اب آپ { $identifier } کے ساتھ سائن ان نہیں کر سکیں گے، اور اس پر مزید کوئی کوڈ نہیں بھیجا جائے گا۔
account-remove-confirm = اسے ہٹا دیں
account-reauth-reason = اپنے اکاؤنٹ میں تبدیلی کرنے کے لیے پہلے تصدیق کریں کہ یہ آپ ہی ہیں۔
button-cancel = منسوخ کریں
button-save = محفوظ کریں
button-add = شامل کریں
notice-password-changed = آپ کا پاس ورڈ تبدیل کر دیا گیا ہے۔ آپ اپنی دوسری ڈیوائسز پر سائن آؤٹ ہو گئے ہیں۔
notice-identifier-added = { $identifier } آپ کے اکاؤنٹ میں شامل کر دیا گیا ہے۔
notice-identifier-removed = { $identifier } آپ کے اکاؤنٹ سے ہٹا دیا گیا ہے۔
notice-service-disconnected = { $service } سے رابطہ منقطع کر دیا گیا ہے۔
err-last-identifier = آپ اپنا آخری فون نمبر یا ای میل پتہ نہیں ہٹا سکتے۔
err-identifier-taken = یہ فون نمبر یا ای میل پتہ کسی دوسرے اکاؤنٹ سے منسلک ہے۔
err-identifier-known = یہ فون نمبر یا ای میل پتہ پہلے سے آپ کے اکاؤنٹ میں موجود ہے۔
identifier-added-subject = آپ کے CONNECT ID میں نیا فون نمبر یا ای میل شامل کیا گیا ہے
identifier-added-body = آپ کے CONNECT ID اکاؤنٹ میں { $identifier } شامل کر دیا گیا ہے۔ اگر یہ آپ نے نہیں کیا تو سائن ان کر کے اسے ہٹا دیں اور اپنا پاس ورڈ تبدیل کریں۔

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = کیا { $identifier } کے طور پر جاری رکھیں؟
preauth-text = { $service } آپ کے لیے ایک صفحہ کھول رہا ہے جس میں آپ اپنے CONNECT ID سے سائن ان ہیں۔ صرف اسی صورت میں جاری رکھیں جب آپ نے اسے خود ایپ سے کھولا ہو۔
error-link-used = اس لنک کی میعاد ختم ہو چکی ہے یا یہ پہلے ہی استعمال ہو چکا ہے۔ ایپ پر واپس جائیں اور دوبارہ کوشش کریں۔

## The start page (/): data-step="home"
home-text = سروسز آپ کو اپنے CONNECT ID سے سائن ان کرنے کے لیے یہاں بھیجتی ہیں۔ آپ یہاں اپنے اکاؤنٹ کا انتظام بھی کر سکتے ہیں۔
home-demo = ڈیمو سروسز آزمائیں
home-discovery = ڈویلپرز کے لیے: OpenID Connect Discovery
