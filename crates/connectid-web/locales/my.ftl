## connectid sign-in pages, messages and assets — Burmese (my), Unicode (not Zawgyi).
## Terminology: "လက်မှတ်ထိုးဝင်", "လက်မှတ်ထိုးထွက်", "… အဖြစ် လက်မှတ်ထိုးဝင်ထားသည်"; never "login" or "username".
## Polite register with "ပါ". Burmese has only the plural category "other".

brand = CONNECT ID
language = ဘာသာစကား

## The first screen (data-step="identifier")
signin-title = လက်မှတ်ထိုးဝင်ရန်
identifier-label-phone = ဖုန်းနံပါတ်
identifier-label-email = အီးမေးလ်
identifier-label-phone-or-email = ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်
identifier-label-email-or-phone = အီးမေးလ် သို့မဟုတ် ဖုန်းနံပါတ်
identifier-placeholder-email = name@example.com
identifier-locked = ဤဝန်ဆောင်မှုက ဤဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်ဖြင့် လက်မှတ်ထိုးဝင်ရန် တောင်းဆိုထားပါသည်။
remember = လက်မှတ်ထိုးဝင်ထားရန်
button-next = ရှေ့သို့

## Password (data-step="password")
password-title = သင့်စကားဝှက်ကို ထည့်ပါ
signing-in-as = { $identifier } အဖြစ် လက်မှတ်ထိုးဝင်နေသည်
password-label = စကားဝှက်
button-signin = လက်မှတ်ထိုးဝင်ရန်
not-you = သင် မဟုတ်ပါသလား? အခြားဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်ကို သုံးပါ
forgot-password = စကားဝှက် မေ့သွားပါသလား?

## One-time code (data-step="code")
code-title = ကုဒ်ကို ထည့်ပါ
code-sent = { $identifier } သို့ ဂဏန်း ၆ လုံးပါ ကုဒ်တစ်ခု ပို့ထားပါသည်။
code-label = ကုဒ်
button-continue = ဆက်လုပ်ရန်
code-resend = ကုဒ်အသစ် ပို့ရန်

## Choose a password (data-step="set-password")
set-password-title = စကားဝှက် သတ်မှတ်ပါ
set-password-for = { $identifier } အတွက်။
password-rules = အနည်းဆုံး စာလုံး { $min } လုံး ရှိရပါမည်။ အသုံးများသော စကားဝှက်များကို ရှောင်ပါ။
new-password-label = စကားဝှက်အသစ်
strength-label = စကားဝှက် ခိုင်မာမှု
strength-0 = အလွန်အားနည်း
strength-1 = အားနည်း
strength-2 = သင့်တင့်
strength-3 = ကောင်း
strength-4 = ခိုင်မာ

## Add an email (data-step="add-email")
add-email-title = သင့်အီးမေးလ် ထည့်ပါ
add-email-text = { $client } သည် သင့်အကောင့်အတွက် အီးမေးလ်လိပ်စာ လိုအပ်ပါသည်။ ၎င်းကို အတည်ပြုရန် ကုဒ်တစ်ခု ပို့ပါမည်။
email-label = အီးမေးလ်

## Consent (data-step="consent")
consent-title = { $client } ကို သင့်အကောင့် အသုံးပြုခွင့် ပေးမလား?
signed-in-as = { $identifier } အဖြစ် လက်မှတ်ထိုးဝင်ထားသည်
scope-openid = သင်ဖြစ်ကြောင်း သိရှိရန်
scope-profile = သင့်အမည်နှင့် ဘာသာစကား
scope-email = သင့်အီးမေးလ်လိပ်စာ
scope-phone = သင့်ဖုန်းနံပါတ်
scope-offline_access = သင် အသုံးမပြုနေချိန်တွင်လည်း ချိတ်ဆက်ထားရန်
scope-device_sso = ဤစက်ပေါ်ရှိ ထုတ်ဝေသူတစ်ဦးတည်း၏ အခြားအက်ပ်များတွင် သင့်ကို လက်မှတ်ထိုးဝင်ထားစေရန်
button-allow = ခွင့်ပြုရန်
button-deny = ငြင်းပယ်ရန်

## Signing out
logout-title = CONNECT ID မှ လက်မှတ်ထိုးထွက်မလား?
button-signout = လက်မှတ်ထိုးထွက်ရန်
signed-out-title = သင် လက်မှတ်ထိုးထွက်ပြီးပါပြီ
signed-out-text = ဤစက်ပစ္စည်းပေါ်ရှိ CONNECT ID မှ သင် လက်မှတ်ထိုးထွက်ပြီးပါပြီ။
signed-out-everywhere-title = စက်ပစ္စည်းအားလုံးမှ သင် လက်မှတ်ထိုးထွက်ပြီးပါပြီ
signed-out-everywhere-text = ဤစက်ပစ္စည်း၊ သင့်အခြားစက်ပစ္စည်းများနှင့် ဝန်ဆောင်မှုအားလုံးမှ သင့် CONNECT ID အကောင့်ကို လက်မှတ်ထိုးထွက်ပြီးပါပြီ။
signed-out-signin-again = ထပ်မံ လက်မှတ်ထိုးဝင်ရန်

## Error pages (data-step="error")
error-title = တစ်ခုခု မှားယွင်းသွားပါသည်
error-details-label = ဝန်ဆောင်မှု ဆော့ဖ်ဝဲရေးသူများအတွက် အသေးစိတ်:
error-reference = ရည်ညွှန်းနံပါတ်: { $id }
error-bad-request = ဝန်ဆောင်မှုက CONNECT ID လက်ခံ၍မရသော လက်မှတ်ထိုးဝင်ရန် တောင်းဆိုချက်ကို ပို့ခဲ့ပါသည်။ ဝန်ဆောင်မှုသို့ ပြန်သွားပြီး ထပ်စမ်းကြည့်ပါ။
error-unknown-client = ဤဝန်ဆောင်မှုကို CONNECT ID တွင် မှတ်ပုံတင်ထားခြင်း မရှိပါ။
error-signin-expired = ဤလက်မှတ်ထိုးဝင်မှု သက်တမ်းကုန်သွားပါပြီ။ ဝန်ဆောင်မှုသို့ ပြန်သွားပြီး အစမှ ပြန်စပါ။
error-other-browser = ဤလက်မှတ်ထိုးဝင်မှုကို အခြားဘရောက်ဇာတွင် စတင်ခဲ့ပါသည်။ ဝန်ဆောင်မှုသို့ ပြန်သွားပြီး အစမှ ပြန်စပါ။
error-form-expired = ဖောင် သက်တမ်းကုန်သွားပါပြီ။ ပြန်သွားပြီး ထပ်စမ်းကြည့်ပါ။
error-server = ကျွန်ုပ်တို့ဘက်တွင် တစ်ခုခု မှားယွင်းသွားပါသည်။ ထပ်စမ်းကြည့်ပါ။
error-answer-not-sent = ဝန်ဆောင်မှုသို့ အဖြေကို ပို့၍မရပါ။
error-not-found = ဤစာမျက်နှာ မရှိပါ။
error-account-locked = သင့် CONNECT ID အကောင့်ကို သော့ခတ်ထားပါသည်။ ပြန်ဖွင့်ရန် ဝန်ဆောင်မှု၏ အကူအညီပေးရေးဌာနကို ဆက်သွယ်ပါ။

## Messages shown above a form (role="alert")
err-identifier-empty = ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်လိပ်စာ ထည့်ပါ။
err-identifier-phone = မှန်ကန်သော ဖုန်းနံပါတ် မဟုတ်ပါ။
err-identifier-email = မှန်ကန်သော အီးမေးလ်လိပ်စာ မဟုတ်ပါ။
err-enter-phone = ဖုန်းနံပါတ် ထည့်ပါ။
err-enter-email = အီးမေးလ်လိပ်စာ ထည့်ပါ။
err-locked = သင် လက်မှတ်ထိုးဝင်ထားသော အကောင့်၏ ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်ကို သုံးပါ၊ သို့မဟုတ် “သင် မဟုတ်ပါသလား?” ကို ရွေးပါ။
err-hint-locked = ဤဝန်ဆောင်မှုက တောင်းဆိုထားသော ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်ကို သုံးပါ။
err-no-sms = ဤဝန်ဆောင်မှုသည် SMS ဖြင့် ကုဒ် မပို့ပါ။ သင့်အီးမေးလ်နှင့် စကားဝှက်ဖြင့် လက်မှတ်ထိုးဝင်ပါ။
err-sms-refused = ဤနံပါတ်သို့ SMS ဖြင့် ကုဒ် မပို့နိုင်ပါ။
err-sms-refused-email = ဤနံပါတ်သို့ SMS ဖြင့် ကုဒ် မပို့နိုင်ပါ။ သင့်အီးမေးလ်လိပ်စာဖြင့် လက်မှတ်ထိုးဝင်ပါ။
err-sms-challenge = ကုဒ်မပို့မီ သင့်ဘရောက်ဇာက သင်သည် လူဖြစ်ကြောင်း စစ်ဆေးပါသည်။ ခဏသာ ကြာပါသည်။
challenge-working = စစ်ဆေးနေသည်…
challenge-noscript = ဤစစ်ဆေးမှုအတွက် JavaScript လိုအပ်ပါသည်။ မရှိပါက သင့်အီးမေးလ်လိပ်စာ သို့မဟုတ် စကားဝှက်ဖြင့် ဝင်ရောက်ပါ။
err-sms-budget = ယနေ့ SMS ဖြင့် ကုဒ်များ ထပ်မပို့နိုင်တော့ပါ။ မနက်ဖြန် ထပ်ကြိုးစားပါ။
err-resend-wait = ကုဒ်တစ်ခု ယခုလေးတင် ပို့ထားပါသည်။ ကုဒ်အသစ် မတောင်းမီ { $seconds } စက္ကန့် စောင့်ပါ။
err-too-many-sends = ဤနံပါတ် သို့မဟုတ် လိပ်စာသို့ ကုဒ်များ အကြိမ်များလွန်းစွာ ပို့ပြီးပါပြီ။ တစ်နာရီကြာမှ ထပ်စမ်းကြည့်ပါ။
err-send-failed = ကုဒ်ကို ပို့၍မရပါ။ ခဏနေမှ ထပ်စမ်းကြည့်ပါ။
err-unavailable = ယခု ဤအရာကို မလုပ်ဆောင်နိုင်ပါ။ မိနစ်အနည်းငယ်အကြာတွင် ထပ်မံကြိုးစားပါ။
err-too-many-passwords = စကားဝှက် မှားသည့်အကြိမ် များလွန်းပါသည်။ { $minutes } မိနစ် စောင့်ပြီးမှ ထပ်စမ်းကြည့်ပါ။
err-too-many-attempts = ကြိုးစားသည့်အကြိမ် များလွန်းပါသည်။ { $minutes } မိနစ် စောင့်ပြီးမှ ထပ်စမ်းကြည့်ပါ။
err-password-wrong = စကားဝှက် မမှန်ပါ။ ထပ်စမ်းကြည့်ပါ။
err-code-expired = ကုဒ် သက်တမ်းကုန်သွားပါပြီ။ ကုဒ်အသစ် တောင်းပါ။
err-code-too-many = ကုဒ် မှားသည့်အကြိမ် များလွန်းပါသည်။ ကုဒ်အသစ် တောင်းပါ။
err-code-wrong = ကုဒ် မမှန်ပါ။ စစ်ဆေးပြီး ထပ်စမ်းကြည့်ပါ။
err-conflict = ဤအတောအတွင်း တစ်ခုခု ပြောင်းလဲသွားပါသည်။ ထပ်စမ်းကြည့်ပါ။
err-password-short = စကားဝှက်တွင် အနည်းဆုံး စာလုံး { $min } လုံး ရှိရပါမည်။
err-password-long = စကားဝှက် ရှည်လွန်းပါသည် (အများဆုံး ၁၂၈ ဘိုက်)။
err-password-common = ဤစကားဝှက်သည် အသုံးများလွန်းပါသည်။ အခြားတစ်ခု ရွေးပါ။
err-password-weak = ဤစကားဝှက်ကို ခန့်မှန်းရ လွယ်လွန်းပါသည်။ ပိုရှည်အောင် သို့မဟုတ် ခန့်မှန်းရ ပိုခက်အောင် ပြုလုပ်ပါ။
err-password-identifier = စကားဝှက်သည် သင့်ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ် ဖြစ်၍မရပါ။
err-email-taken = ဤအီးမေးလ်ကို အခြားအကောင့်တစ်ခုက အသုံးပြုထားပါသည်။ အခြားအီးမေးလ်ကို သုံးပါ။

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = CONNECT ID ကုဒ်: { $code }။ သက်တမ်း ၅ မိနစ်။
email-code-subject = သင့် CONNECT ID ကုဒ်
email-code-body = သင့် CONNECT ID ကုဒ်မှာ { $code } ဖြစ်ပါသည်။ ၎င်းသည် ၅ မိနစ်အတွင်း သက်တမ်းကုန်ပါမည်။ သင် လက်မှတ်ထိုးဝင်ရန် မကြိုးစားခဲ့ပါက ဤအီးမေးလ်ကို လျစ်လျူရှုနိုင်ပါသည်။
password-changed-subject = သင့် CONNECT ID စကားဝှက်ကို ပြောင်းလဲလိုက်ပါပြီ
password-changed-body = သင့် CONNECT ID အကောင့်၏ စကားဝှက်ကို ပြောင်းလဲလိုက်ပါပြီ။ ဤပြောင်းလဲမှုကို သင် မပြုလုပ်ခဲ့ပါက သင့်စကားဝှက်ကို ချက်ချင်း ပြန်လည်သတ်မှတ်ပါ။

## The "Sign in with CONNECT ID" button
signin-button = CONNECT ID ဖြင့် လက်မှတ်ထိုးဝင်ရန်

## The flow previewer (/flow-previewer)
previewer-title = လက်မှတ်ထိုးဝင်ခြင်း အဆင့်များကို အစမ်းကြည့်ရန်
previewer-intro = သင့်ဝန်ဆောင်မှု၏ ဆက်တင်များဖြင့် အသုံးပြုသူများ မြင်ရမည့်အတိုင်း လက်မှတ်ထိုးဝင်ခြင်း အဆင့်တစ်ခုစီကို ကြည့်ပါ။ မည်သည့်အရာကိုမျှ ပို့မည်မဟုတ်ဘဲ မည်သူမျှလည်း လက်မှတ်ထိုးဝင်မည် မဟုတ်ပါ။
previewer-client-id = မှတ်ပုံတင်ထားသော ဝန်ဆောင်မှု၏ Client ID
previewer-metadata = သို့မဟုတ် client metadata (JSON) ကို ကူးထည့်ပါ
previewer-step = အဆင့်
previewer-login-hint = ကြိုတင်ဖြည့်ထားမည့် ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ် (login_hint)
previewer-locked = ဤဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်ဖြင့်သာ လက်မှတ်ထိုးဝင်နိုင်သည် (login_hint_locked)
previewer-show = အစမ်းကြည့်ရန်
previewer-banner = “{ $step }” အဆင့်ကို အစမ်းကြည့်နေသည်။ ဤနေရာရှိ ဖောင်များသည် မည်သည့်အရာကိုမျှ မပို့ပါ။
previewer-back = ဆက်တင်များ ပြောင်းရန်
previewer-unknown-client = ဤ Client ID ဖြင့် မှတ်ပုံတင်ထားသော ဝန်ဆောင်မှု မရှိပါ။
previewer-need-client = Client ID ထည့်ပါ သို့မဟုတ် client metadata ကို ကူးထည့်ပါ။
previewer-invalid-metadata = ဤ client metadata သည် မမှန်ကန်ပါ။

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = ကျွန်ုပ်၏ အကောင့်
account-nav = အကောင့်
account-phones = ဖုန်းနံပါတ်များ
account-emails = အီးမေးလ်လိပ်စာများ
account-none = မရှိသေးပါ
account-unverified = အတည်မပြုရသေးပါ
account-remove = ဖယ်ရှားရန်
account-remove-label = { $identifier } ကို ဖယ်ရှားရန်
account-add-phone = ဖုန်းနံပါတ် ထည့်ရန်
account-add-email = အီးမေးလ်လိပ်စာ ထည့်ရန်
account-add-text = ၎င်းကို အတည်ပြုရန် ကုဒ်တစ်ခု ပို့ပါမည်။
account-password = စကားဝှက်
account-password-change = စကားဝှက် ပြောင်းရန်
account-password-set = စကားဝှက် သတ်မှတ်ရန်
account-password-none = သင်သည် ကုဒ်ဖြင့်သာ လက်မှတ်ထိုးဝင်ပါသည်။
account-services = ချိတ်ဆက်ထားသော ဝန်ဆောင်မှုများ
account-services-text = CONNECT ID ဖြင့် သင် လက်မှတ်ထိုးဝင်ထားသော ဝန်ဆောင်မှုများ။ ဝန်ဆောင်မှုတစ်ခု၏ ချိတ်ဆက်မှုကို ဖြုတ်လိုက်ပါက ၎င်းမှ သင် လက်မှတ်ထိုးထွက်သွားမည်ဖြစ်ပြီး ထပ်မံ လက်မှတ်ထိုးဝင်ရန် တောင်းဆိုပါလိမ့်မည်။
account-services-none = သင့်အကောင့်နှင့် ချိတ်ဆက်ထားသော ဝန်ဆောင်မှု မရှိပါ။
account-services-manage = သင့်ဝန်ဆောင်မှုများကို ကြည့်ရှုပြီး ချိတ်ဆက်မှု ဖြုတ်ရန်
account-disconnect = ချိတ်ဆက်မှု ဖြုတ်ရန်
account-disconnect-label = { $service } နှင့် ချိတ်ဆက်မှု ဖြုတ်ရန်
account-signout-everywhere = စက်ပစ္စည်းအားလုံးမှ လက်မှတ်ထိုးထွက်ရန်
account-signout-everywhere-text = ဤစက်ပစ္စည်းအပါအဝင် စက်ပစ္စည်းတိုင်းနှင့် ဝန်ဆောင်မှုတိုင်းမှ သင့်ကို လက်မှတ်ထိုးထွက်ပေးပါမည်။
account-delete = အကောင့် ဖျက်ရန်
account-delete-text = သင့်အကောင့်နှင့် ၎င်း၏ ဖုန်းနံပါတ်များ၊ အီးမေးလ်လိပ်စာများကို ဖျက်ပစ်မည်ဖြစ်ပြီး ဝန်ဆောင်မှုအားလုံးမှ သင် လက်မှတ်ထိုးထွက်သွားပါမည်။ ဤလုပ်ဆောင်ချက်ကို ပြန်ပြင်၍ မရပါ။
account-delete-confirm = ကျွန်ုပ်၏ အကောင့်ကို ဖျက်ရန်
account-deleted-title = သင့်အကောင့်ကို ဖျက်ပြီးပါပြီ
account-deleted-text = သင့် CONNECT ID အကောင့်နှင့် ၎င်းတွင် သိမ်းဆည်းထားသမျှ အားလုံးကို ဖျက်ပြီးပါပြီ။
account-back = { $service } သို့ ပြန်သွားရန်
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = { $identifier } ကို ဖယ်ရှားမလား?
account-remove-text = { $identifier } ဖြင့် နောက်ထပ် လက်မှတ်ထိုးဝင်၍ မရတော့ဘဲ ၎င်းသို့ ကုဒ်များကိုလည်း ပို့တော့မည် မဟုတ်ပါ။
account-remove-confirm = ဖယ်ရှားရန်
account-reauth-reason = သင့်အကောင့်ကို ပြောင်းလဲရန် ဦးစွာ သင်ဖြစ်ကြောင်း အတည်ပြုပါ။
button-cancel = မလုပ်တော့ပါ
button-save = သိမ်းရန်
button-add = ထည့်ရန်
notice-password-changed = သင့်စကားဝှက်ကို ပြောင်းလဲလိုက်ပါပြီ။ သင့်အခြားစက်ပစ္စည်းများမှ လက်မှတ်ထိုးထွက်ပြီးပါပြီ။
notice-identifier-added = { $identifier } ကို သင့်အကောင့်တွင် ထည့်လိုက်ပါပြီ။
notice-identifier-removed = { $identifier } ကို သင့်အကောင့်မှ ဖယ်ရှားလိုက်ပါပြီ။
notice-service-disconnected = { $service } နှင့် ချိတ်ဆက်မှုကို ဖြုတ်လိုက်ပါပြီ။
err-last-identifier = သင့်နောက်ဆုံး ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်လိပ်စာကို ဖယ်ရှား၍ မရပါ။
err-identifier-taken = ဤဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်လိပ်စာကို အခြားအကောင့်တစ်ခုက အသုံးပြုထားပါသည်။
err-identifier-known = ဤဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ်လိပ်စာသည် သင့်အကောင့်တွင် ရှိပြီးသား ဖြစ်ပါသည်။
identifier-added-subject = သင့် CONNECT ID တွင် ဖုန်းနံပါတ် သို့မဟုတ် အီးမေးလ် အသစ်တစ်ခု ထည့်ထားပါသည်
identifier-added-body = သင့် CONNECT ID အကောင့်တွင် { $identifier } ကို ထည့်လိုက်ပါသည်။ ဤပြောင်းလဲမှုကို သင် မပြုလုပ်ခဲ့ပါက လက်မှတ်ထိုးဝင်ပြီး ၎င်းကို ဖယ်ရှားကာ သင့်စကားဝှက်ကို ပြောင်းပါ။

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = { $identifier } အဖြစ် ဆက်လုပ်မလား။
preauth-text = { $service } သည် သင့် CONNECT ID ဖြင့် လက်မှတ်ထိုးဝင်ထားသော စာမျက်နှာတစ်ခုကို ဖွင့်ပေးနေပါသည်။ အက်ပ်မှ သင်ကိုယ်တိုင် ဖွင့်ခဲ့မှသာ ဆက်လုပ်ပါ။
error-link-used = ဤလင့်ခ်သည် သက်တမ်းကုန်သွားပြီ သို့မဟုတ် အသုံးပြုပြီးဖြစ်သည်။ အက်ပ်သို့ ပြန်သွားပြီး ထပ်စမ်းကြည့်ပါ။

## The start page (/): data-step="home"
home-text = ဝန်ဆောင်မှုများက သင့် CONNECT ID ဖြင့် လက်မှတ်ထိုးဝင်ရန် သင့်ကို ဤနေရာသို့ ပို့ပေးပါသည်။ ဤနေရာတွင် သင့်အကောင့်ကိုလည်း စီမံနိုင်ပါသည်။
home-demo = နမူနာ ဝန်ဆောင်မှုများကို စမ်းသုံးရန်
home-discovery = OpenID Connect Discovery (ဆော့ဖ်ဝဲရေးသူများအတွက်)
