## connectid sign-in pages, messages and assets — Chinese, Simplified (zh-Hans).
## Terminology: "登录", "退出登录", "已登录"; never "用户名".
## Polite "您", as mainland consumer apps use. Chinese has only the plural category "other".

brand = CONNECT ID
language = 语言

## The first screen (data-step="identifier")
signin-title = 登录
identifier-label-phone = 手机号码
identifier-label-email = 邮箱
identifier-label-phone-or-email = 手机号码或邮箱
identifier-label-email-or-phone = 邮箱或手机号码
identifier-placeholder-email = name@example.com
identifier-locked = 此服务要求您使用该手机号码或邮箱登录。
remember = 保持登录状态
button-next = 下一步

## Password (data-step="password")
password-title = 输入密码
signing-in-as = 正在以 { $identifier } 身份登录
password-label = 密码
button-signin = 登录
not-you = 不是您？使用其他手机号码或邮箱
forgot-password = 忘记密码？

## One-time code (data-step="code")
code-title = 输入验证码
code-sent = 我们已向 { $identifier } 发送 6 位验证码。
code-label = 验证码
button-continue = 继续
code-resend = 重新发送验证码

## Choose a password (data-step="set-password")
set-password-title = 设置密码
set-password-for = 账号：{ $identifier }
password-rules = 至少 { $min } 个字符。请避免使用常见密码。
new-password-label = 新密码
strength-label = 密码强度
strength-0 = 非常弱
strength-1 = 弱
strength-2 = 一般
strength-3 = 较强
strength-4 = 强

## Add an email (data-step="add-email")
add-email-title = 添加邮箱
add-email-text = { $client } 需要您的账号提供邮箱地址。我们会发送验证码来验证该邮箱。
email-label = 邮箱

## Consent (data-step="consent")
consent-title = 允许 { $client } 使用您的账号？
signed-in-as = 已登录：{ $identifier }
scope-openid = 确认是您本人
scope-profile = 您的姓名和语言
scope-email = 您的邮箱地址
scope-phone = 您的手机号码
scope-offline_access = 在您未使用该服务时保持连接
scope-device_sso = 让您在此设备上保持登录同一发布者的其他应用
button-allow = 允许
button-deny = 拒绝

## Signing out
logout-title = 要退出 CONNECT ID 吗？
button-signout = 退出登录
signed-out-title = 您已退出登录
signed-out-text = 您已在此设备上退出 CONNECT ID。
signed-out-everywhere-title = 您已在所有设备上退出登录
signed-out-everywhere-text = 您的 CONNECT ID 账号的所有会话均已结束，包括此设备、您的其他设备以及所有服务中的会话。
signed-out-signin-again = 重新登录

## Error pages (data-step="error")
error-title = 出错了
error-details-label = 供服务开发者参考的详细信息：
error-reference = 参考编号：{ $id }
error-bad-request = 该服务发送的登录请求无法被 CONNECT ID 接受。请返回该服务并重试。
error-unknown-client = 此服务未在 CONNECT ID 注册。
error-signin-expired = 本次登录已过期。请返回该服务并重新开始。
error-other-browser = 本次登录是在其他浏览器中发起的。请返回该服务并重新开始。
error-form-expired = 表单已过期。请返回并重试。
error-server = 我们这边出了点问题。请重试。
error-answer-not-sent = 无法将响应发送给该服务。
error-not-found = 此页面不存在。
error-account-locked = 您的 CONNECT ID 账号已被锁定。请联系该服务的客服解锁。

## Messages shown above a form (role="alert")
err-identifier-empty = 请输入手机号码或邮箱地址。
err-identifier-phone = 手机号码无效。
err-identifier-email = 邮箱地址无效。
err-enter-phone = 请输入手机号码。
err-enter-email = 请输入邮箱地址。
err-locked = 请使用当前登录账号的手机号码或邮箱，或选择“不是您？”。
err-hint-locked = 请使用此服务要求的手机号码或邮箱。
err-no-sms = 此服务不发送短信验证码。请使用邮箱和密码登录。
err-sms-refused = 我们无法通过短信向此号码发送验证码。
err-sms-refused-email = 我们无法通过短信向此号码发送验证码。请改用邮箱地址登录。
err-sms-challenge = 发送验证码之前，您的浏览器会确认您是真人。这只需片刻。
challenge-working = 正在检查…
challenge-noscript = 此检查需要 JavaScript。没有它，请改用电子邮件地址或密码登录。
err-sms-budget = 今天无法再通过短信发送验证码。请明天再试。
err-resend-wait = 刚刚已发送验证码。请 { $seconds } 秒后再获取新的验证码。
err-too-many-sends = 向此号码或地址发送的验证码过多。请 1 小时后重试。
err-send-failed = 验证码发送失败。请稍后重试。
err-unavailable = 目前无法完成此操作。请几分钟后再试。
err-too-many-passwords = 密码错误次数过多。请 { $minutes } 分钟后重试。
err-too-many-attempts = 尝试次数过多。请 { $minutes } 分钟后重试。
err-password-wrong = 密码不正确。请重试。
err-code-expired = 验证码已过期。请重新获取。
err-code-too-many = 验证码错误次数过多。请重新获取。
err-code-wrong = 验证码不正确。请检查后重试。
err-conflict = 在此期间信息有变动。请重试。
err-password-short = 密码至少需要 { $min } 个字符。
err-password-long = 密码过长（最多 128 字节）。
err-password-common = 此密码过于常见。请换一个。
err-password-weak = 此密码太容易被猜到。请使用更长或更难猜到的密码。
err-password-identifier = 密码不能是您的手机号码或邮箱。
err-email-taken = 此邮箱已被其他账号使用。请使用其他邮箱。

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = 您的 CONNECT ID 验证码为 { $code }，5 分钟内有效。
email-code-subject = 您的 CONNECT ID 验证码
email-code-body = 您的 CONNECT ID 验证码为 { $code }，5 分钟内有效。如果您没有尝试登录，请忽略此邮件。
password-changed-subject = 您的 CONNECT ID 密码已更改
password-changed-body = 您的 CONNECT ID 账号密码已更改。如果这不是您本人的操作，请立即重置密码。

## The "Sign in with CONNECT ID" button
signin-button = 使用 CONNECT ID 登录

## The flow previewer (/flow-previewer)
previewer-title = 登录流程预览
previewer-intro = 按照您服务的设置，查看用户将看到的每个登录步骤。不会发送任何内容，也不会有人登录。
previewer-client-id = 已注册服务的客户端 ID
previewer-metadata = 或粘贴客户端元数据（JSON）
previewer-step = 步骤
previewer-login-hint = 预先填写的手机号码或邮箱（login_hint）
previewer-locked = 仅允许使用此手机号码或邮箱登录（login_hint_locked）
previewer-show = 显示预览
previewer-banner = “{ $step }”步骤的预览。此处的表单不会发送任何内容。
previewer-back = 更改设置
previewer-unknown-client = 没有服务使用此客户端 ID 注册。
previewer-need-client = 请输入客户端 ID 或粘贴客户端元数据。
previewer-invalid-metadata = 此客户端元数据无效。

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = 我的账号
account-nav = 账号
account-phones = 手机号码
account-emails = 邮箱地址
account-none = 暂无
account-unverified = 未验证
account-remove = 移除
account-remove-label = 移除 { $identifier }
account-add-phone = 添加手机号码
account-add-email = 添加邮箱
account-add-text = 我们会发送验证码进行验证。
account-password = 密码
account-password-change = 更改密码
account-password-set = 设置密码
account-password-none = 您目前仅使用验证码登录。
account-services = 已关联的服务
account-services-text = 您使用 CONNECT ID 登录过的服务。解除关联后，您将退出该服务，下次使用时需要重新登录。
account-services-none = 您的账号尚未关联任何服务。
account-services-manage = 查看已关联的服务并解除关联
account-disconnect = 解除关联
account-disconnect-label = 解除与 { $service } 的关联
account-signout-everywhere = 在所有设备上退出登录
account-signout-everywhere-text = 结束您在所有设备和所有服务中的会话，包括当前会话。
account-delete = 删除账号
account-delete-text = 您的账号及其中的手机号码和邮箱地址将被删除，您也将退出所有服务。此操作无法撤销。
account-delete-confirm = 删除我的账号
account-deleted-title = 您的账号已删除
account-deleted-text = 您的 CONNECT ID 账号及其中存储的所有数据均已删除。
account-back = 返回 { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = 要移除 { $identifier } 吗？
account-remove-text = 移除后，您将无法再使用 { $identifier } 登录，我们也不会再向其发送验证码。
account-remove-confirm = 确认移除
account-reauth-reason = 更改账号信息前，请先确认是您本人。
button-cancel = 取消
button-save = 保存
button-add = 添加
notice-password-changed = 密码已更改。您已在其他设备上退出登录。
notice-identifier-added = 已将 { $identifier } 添加到您的账号。
notice-identifier-removed = 已从您的账号中移除 { $identifier }。
notice-service-disconnected = 已与 { $service } 解除关联。
err-last-identifier = 无法移除最后一个手机号码或邮箱地址。
err-identifier-taken = 此手机号码或邮箱地址已被其他账号使用。
err-identifier-known = 此手机号码或邮箱地址已在您的账号中。
identifier-added-subject = 您的 CONNECT ID 账号已添加新的手机号码或邮箱
identifier-added-body = { $identifier } 已添加到您的 CONNECT ID 账号。如果这不是您本人的操作，请登录并移除它，然后更改密码。

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = 以 { $identifier } 的身份继续？
preauth-text = { $service } 正在为您打开一个页面，并使用您的 CONNECT ID 登录。仅当您本人从应用中打开时才继续。
error-link-used = 此链接已过期或已被使用。请返回应用并重试。

## The start page (/): data-step="home"
home-text = 各项服务会将您引导到这里，使用您的 CONNECT ID 登录。您也可以在这里管理您的账号。
home-demo = 试用演示服务
home-discovery = OpenID Connect Discovery（面向开发者）
