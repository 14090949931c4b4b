using CardMall.Domain.KnowledgeBase;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Seeding;

/// <summary>
/// The demo shop's help centre: a usage tutorial for each demo product (slug tutorial-&lt;sku&gt;), the
/// two questions buyers ask most, and the refund policy, in Chinese and English. An article whose slug
/// already exists is left alone, so staff edits survive a restart.
/// </summary>
public static class DemoArticles
{
    /// <summary>The demo's security guide for memberships, pushed after a purchase of one.</summary>
    public const string MembershipGuideSlug = "membership-account-safety";

    /// <summary>The demo products that come with <see cref="MembershipGuideSlug"/>.</summary>
    public static readonly IReadOnlyList<string> GuidedSkus = ["IQIYI-VIP-M", "QQMUSIC-GREEN-Y"];

    public static async Task SeedAsync(CardMallDbContext db, Guid adminUserId, DateTimeOffset now, CancellationToken ct)
    {
        var existing = (await db.Articles.Select(a => a.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        foreach (var seed in All.Where(s => !existing.Contains(s.Slug)))
            db.Articles.Add(new Article(seed.Slug, seed.Kind, seed.ProductSku, seed.Chinese, seed.English, isPublished: true, adminUserId, now));
        await db.SaveChangesAsync(ct);
    }

    internal static IReadOnlyList<DemoArticle> All { get; } =
    [
        Tutorial("WOW-60", "魔兽世界 60 元点卡使用教程", "How to redeem the World of Warcraft 60 CNY game card",
            """
            魔兽世界 60 元点卡用于给**国服战网账号**充值，充值后可用于购买魔兽世界游戏时间。卡密由**卡号**和**密码**两部分组成。

            ## 充值前请确认

            - 只适用于中国大陆的国服战网账号，不能用于台服、亚服、美服或欧服。
            - 确认浏览器里登录的就是要充值的战网账号：充值成功后无法转到其他账号。
            - 卡密的有效期见商品页的购买须知，请在有效期内使用。

            ## 充值步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，用复制按钮分别复制卡号和密码。
            2. 打开国服战网官网，登录要充值的战网通行证账号。
            3. 进入 **账号管理 → 充值 → 点卡充值**（官网改版时名称可能略有不同）。
            4. 粘贴卡号和密码，填写验证码，点击「确认充值」。
            5. 一般几分钟内到账，可以在账号管理的 **充值记录** 中查看。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 卡号或密码错误 | 检查是否多复制了空格，或把数字 0 和字母 O、数字 1 和字母 I 看混了。请使用复制按钮，不要手动输入。 |
            | 该卡已被使用 | 先查看自己账号的充值记录，确认不是自己已经充过；如果没有，请截图后提交售后。 |
            | 该卡不适用于当前区域 | 登录的不是国服账号。换国服账号再试，未成功充值的卡密仍然可以使用。 |
            | 充值成功但时间没到账 | 等待 10 分钟后刷新；仍未到账，请截图充值记录联系售后。 |
            """,
            """
            The World of Warcraft 60 CNY game card tops up a **Battle.net account on the China (mainland) servers**; the balance buys World of Warcraft game time. The key has two parts: a **card number** and a **password**.

            ## Before you top up

            - It works only for Battle.net accounts on the mainland China servers, not for the Taiwan, Asia, Americas or Europe regions.
            - Make sure the browser is signed in to the Battle.net account you want to top up: a completed top-up cannot be moved to another account.
            - The key's validity period is on the product page's notices; use it before then.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the card number and the password with the copy buttons.
            2. Open the official Battle.net China website and sign in to the account you want to top up.
            3. Go to **Account management → Top up → Game card** (the names may change slightly when the site is redesigned).
            4. Paste the card number and password, fill in the captcha and click "Confirm".
            5. The top-up usually arrives within a few minutes; you can check it under **Top-up history** in account management.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Wrong card number or password | Check for extra spaces, or a mix-up between the digit 0 and the letter O, or 1 and I. Use the copy buttons rather than typing. |
            | This card has already been used | First check your own top-up history in case you already used it; if not, take a screenshot and report it. |
            | This card is not valid for your region | You are signed in to an account outside mainland China. Use a mainland China account; a key that failed to redeem can still be used. |
            | Top-up succeeded but no game time | Wait 10 minutes and refresh; if it is still missing, contact after-sales with a screenshot of the top-up history. |
            """),

        Tutorial("NETEASE-100", "网易一卡通 100 元使用教程", "How to use the NetEase One Card 100 CNY",
            """
            网易一卡通可以充值到**网易通行证账号**，用于梦幻西游、大话西游、逆水寒等网易游戏的点数充值。

            ## 充值前请确认

            - 只适用于中国大陆的网易通行证账号。
            - 一卡通充值后**不能撤回或转移**，请确认账号无误。
            - 个别游戏不支持一卡通充值，以游戏官方说明为准。

            ## 充值步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制卡号和密码。
            2. 打开网易官方的一卡通充值页面（网易支付 → 一卡通充值），登录网易通行证。
            3. 输入卡号和密码，选择要充值的账号。
            4. 选择直接充入某款游戏的点数，或先充入一卡通余额，之后再在游戏充值中心兑换。
            5. 充值完成后，在网易支付的 **交易记录** 中可以看到这笔充值。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 卡号与密码不匹配 | 检查复制是否完整，有没有多余空格。请使用复制按钮。 |
            | 此卡已使用 | 查看账号的一卡通充值记录，确认不是自己充过；如果没有，请截图后提交售后。 |
            | 账号需要实名认证或已冻结 | 这是账号本身的限制，请先在网易账号中心完成实名认证或解冻，卡密不受影响。 |
            | 充错了账号 | 一卡通充值无法撤回，这种情况不属于卡密问题，请务必在充值前确认账号。 |
            """,
            """
            The NetEase One Card tops up a **NetEase Passport account**, for game points in NetEase games such as Fantasy Westward Journey, Westward Journey Online and Justice.

            ## Before you top up

            - It works only for NetEase Passport accounts in mainland China.
            - A One Card top-up **cannot be undone or moved** to another account: check the account first.
            - A few games do not accept One Card top-ups; the game's official notes decide.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the card number and the password.
            2. Open NetEase's official One Card top-up page (NetEase Pay → One Card top-up) and sign in with your NetEase Passport.
            3. Enter the card number and password and choose the account to top up.
            4. Either put the value straight into a game's points, or into your One Card balance to exchange later in the game's top-up centre.
            5. When it is done, the top-up appears in NetEase Pay's **transaction history**.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Card number and password do not match | Check that you copied everything without extra spaces. Use the copy buttons. |
            | This card has been used | Check your account's One Card history in case you already used it; if not, take a screenshot and report it. |
            | Account needs identity verification or is frozen | This is a limit on the account, not the key: complete verification or unfreeze the account in the NetEase account centre first. |
            | Topped up the wrong account | One Card top-ups cannot be undone, and this is not a key fault, so please check the account before you top up. |
            """),

        Tutorial("GENSHIN-648", "原神 6480 创世结晶兑换教程", "How to redeem Genshin Impact 6480 Genesis Crystals",
            """
            本兑换码可为原神角色兑换 **6480 创世结晶**，兑换后通过游戏内邮件发放。

            ## 兑换前请确认

            - 本商品适用于**国服（天空岛、世界树）**，不能在国际服（亚洲、美洲、欧洲、港澳台服）使用。
            - 角色需要达到**冒险等阶 10 级**才能使用兑换码。
            - 通过兑换码获得的创世结晶不参与游戏内的首充双倍活动。

            ## 兑换步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制兑换码。
            2. 登录游戏，确认当前角色在天空岛或世界树服务器。
            3. 打开 **派蒙菜单 → 设置 → 账户 → 兑换码**。
            4. 粘贴兑换码，点击「兑换」。
            5. 打开游戏邮箱，领取 6480 创世结晶。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 兑换码无效 | 确认复制完整、没有空格，并确认角色在国服。 |
            | 兑换码已被使用 | 先看游戏邮件里是否已经领取过；没有的话，请截图后提交售后。 |
            | 兑换码不适用于当前服务器 | 请切换到国服角色再兑换，未成功兑换的码仍然可以使用。 |
            | 冒险等阶不足 | 冒险等阶升到 10 级后再兑换，兑换码不会因此失效。 |
            """,
            """
            This code gives a Genshin Impact character **6480 Genesis Crystals**, delivered by in-game mail.

            ## Before you redeem

            - This product is for the **China servers (Celestia and Irminsul)**. It does not work on the global servers (Asia, America, Europe, TW/HK/MO).
            - Your character must have reached **Adventure Rank 10** to use codes.
            - Crystals from a code do not count towards the in-game first top-up bonus.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the code.
            2. Sign in to the game and check that your character is on Celestia or Irminsul.
            3. Open **Paimon menu → Settings → Account → Redeem code**.
            4. Paste the code and click "Redeem".
            5. Open your in-game mail and claim the 6480 Genesis Crystals.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Invalid code | Check that you copied the whole code without spaces, and that the character is on a China server. |
            | Code already used | Check your in-game mail in case you already claimed it; if not, take a screenshot and report it. |
            | Code not valid for this server | Switch to a China-server character; a code that failed to redeem can still be used. |
            | Adventure Rank too low | Reach Adventure Rank 10 first; the code does not expire because of this. |
            """),

        Tutorial("STEAM-WALLET-100", "Steam 钱包充值码 100 元兑换教程", "How to redeem a Steam Wallet code (100 CNY)",
            """
            Steam 钱包充值码面值 **100 元人民币**，兑换后进入 Steam 钱包，可以在 Steam 商店购买游戏和物品。

            ## 兑换前请确认

            - 适用于钱包币种为**人民币**的 Steam 账号。如果账号还没有设置钱包币种，兑换后会设为人民币。
            - 钱包币种是其他货币的账号可能无法兑换，请不要为此修改账号地区。
            - 余额只能在 Steam 内消费，不能提现或转给他人。

            ## 兑换步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制充值码。
            2. 打开 Steam 客户端或网页版商店并登录。
            3. 点击右上角的账户名 → **账户明细 → 添加资金到您的 Steam 钱包 → 兑换 Steam 礼品卡或充值码**。也可以直接打开 [兑换页面](https://store.steampowered.com/account/redeemwalletcode)。
            4. 粘贴充值码，点击「继续」。
            5. 成功后，右上角会立即显示新的钱包余额。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 您输入的充值码无效 | 检查是否把 0 和 O、1 和 I 看混，或多复制了空格。连续输错多次，Steam 会暂时限制兑换，请隔一小时再试。 |
            | 该充值码已被兑换 | 在账户明细的购买记录中确认是否是自己兑换的；如果不是，请截图后提交售后。 |
            | 该充值码不适用于您所在的地区 | 账号的钱包币种不是人民币。请不要更换地区，直接截图联系售后。 |
            """,
            """
            A Steam Wallet code worth **100 CNY** adds funds to your Steam Wallet for games and items in the Steam store.

            ## Before you redeem

            - It is for Steam accounts whose wallet currency is **Chinese yuan (CNY)**. An account that has no wallet currency yet gets CNY when the code is redeemed.
            - An account whose wallet uses another currency may not be able to redeem it; please do not change your account's region for this.
            - Wallet funds can only be spent on Steam; they cannot be withdrawn or given to someone else.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the code.
            2. Open the Steam client or the Steam store website and sign in.
            3. Click your account name at the top right → **Account details → Add funds to your Steam Wallet → Redeem a Steam Gift Card or Wallet Code**, or open the [redeem page](https://store.steampowered.com/account/redeemwalletcode) directly.
            4. Paste the code and click "Continue".
            5. Your new wallet balance shows at the top right straight away.

            ## Common errors

            | Message | What to do |
            |---|---|
            | The code you entered is invalid | Check for 0/O or 1/I mix-ups and extra spaces. After several wrong attempts Steam pauses redemption for a while; try again in an hour. |
            | This code has already been redeemed | Check the purchase history in your account details in case you redeemed it; if not, take a screenshot and report it. |
            | This code is not valid in your region | Your wallet currency is not CNY. Do not change your region; contact after-sales with a screenshot. |
            """),

        Tutorial("WIN11-PRO", "Windows 11 专业版激活教程", "How to activate Windows 11 Pro with your product key",
            """
            Windows 11 专业版零售密钥，可以激活一台电脑，也可以把 Windows 11 家庭版直接升级为专业版。

            ## 激活前请确认

            - 一个密钥只能激活**一台电脑**。激活后，数字许可证会与这台电脑的硬件绑定。
            - 建议在 Windows 中登录你的 Microsoft 账户，以后重装系统时会自动重新激活。
            - 专业版密钥不能激活企业版或教育版。
            - 激活时电脑需要联网。

            ## 激活步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制 25 位产品密钥，格式如下：

               ```
               XXXXX-XXXXX-XXXXX-XXXXX-XXXXX
               ```

            2. 打开 **设置 → 系统 → 激活**。
            3. 点击「更改产品密钥」，粘贴密钥，点击「下一步」。
            4. 如果当前是家庭版，系统会提示升级到专业版。保存好正在编辑的文件后点击「开始」，电脑会重启一到两次。
            5. 回到「激活」页面，看到「Windows 已使用数字许可证激活」即表示成功。

            ## 常见错误与处理

            | 错误代码 | 怎么办 |
            |---|---|
            | 0xC004F050（产品密钥无效） | 检查密钥是否输入完整，并确认系统是家庭版或专业版，而不是企业版或教育版。 |
            | 0xC004C003（密钥已被阻止） | 这张密钥无法使用，请截图后提交售后，核验后为你补发。 |
            | 0xC004C008（密钥已超过激活次数） | 密钥已在其他电脑上激活过。如果只在你自己的电脑上用过，请截图联系售后。 |
            | 更换主板后提示未激活 | 在「激活」页面运行「疑难解答」，选择「我最近更改了此设备上的硬件」；仍无法激活请联系售后。 |
            """,
            """
            A retail Windows 11 Pro key activates one PC, and it can also upgrade Windows 11 Home to Pro in place.

            ## Before you activate

            - One key activates **one PC**. Once activated, the digital licence is tied to that PC's hardware.
            - Sign in to Windows with your Microsoft account: a later reinstall then reactivates by itself.
            - A Pro key cannot activate the Enterprise or Education editions.
            - The PC must be online to activate.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the 25-character product key. It looks like this:

               ```
               XXXXX-XXXXX-XXXXX-XXXXX-XXXXX
               ```

            2. Open **Settings → System → Activation**.
            3. Click "Change product key", paste the key and click "Next".
            4. On Windows 11 Home you are offered the upgrade to Pro. Save your open files, click "Start", and let the PC restart once or twice.
            5. Back on the Activation page, "Windows is activated with a digital licence" means you are done.

            ## Common errors

            | Error code | What to do |
            |---|---|
            | 0xC004F050 (invalid product key) | Check that the key is complete, and that the PC runs Home or Pro, not Enterprise or Education. |
            | 0xC004C003 (key blocked) | This key cannot be used: take a screenshot and report it, and we replace it after verification. |
            | 0xC004C008 (activation limit reached) | The key has been activated on another PC. If you only used it on your own PC, contact after-sales with a screenshot. |
            | Not activated after a motherboard change | Run "Troubleshoot" on the Activation page and choose "I changed hardware on this device recently"; if it still fails, contact after-sales. |
            """),

        Tutorial("OFFICE-2021", "Office 2021 家庭和学生版安装激活教程", "How to install and activate Office 2021 Home & Student",
            """
            Office 2021 家庭和学生版是一次购买、长期使用的版本，包含 **Word、Excel、PowerPoint**（不含 Outlook）。

            ## 安装前请确认

            - 一个密钥只能在**一台** Windows 电脑或 Mac 上使用，兑换后会绑定到你的 Microsoft 账户。
            - 需要 Windows 10、Windows 11 或较新的 macOS。
            - 建议先卸载电脑上预装的 Microsoft 365 试用版或旧版 Office，避免激活冲突。

            ## 兑换与安装步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制 25 位产品密钥。
            2. 打开 [setup.office.com](https://setup.office.com)，用你的 Microsoft 账户登录（没有可以免费注册）。
            3. 粘贴产品密钥，选择国家/地区和语言，点击「下一步」。密钥会绑定到这个账户。
            4. 打开 [Microsoft 账户的服务和订阅页面](https://account.microsoft.com/services)，在 Office 2021 家庭和学生版旁点击「安装」，下载并运行安装程序。
            5. 安装完成后打开 Word，用**同一个** Microsoft 账户登录，Office 会自动激活。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 此产品密钥已被使用 | 如果是你自己兑换过的，直接登录账户页面安装即可；如果不是，请截图后提交售后。 |
            | 此密钥在你所在的国家/地区不可用 | 请截图联系售后，我们会核验密钥的适用地区。 |
            | 安装后仍提示「需要激活」 | 确认 Office 中登录的是兑换密钥时使用的 Microsoft 账户，并卸载其他版本的 Office。 |
            """,
            """
            Office 2021 Home & Student is a one-time purchase that you keep using, with **Word, Excel and PowerPoint** (no Outlook).

            ## Before you install

            - One key is for **one** Windows PC or Mac, and redeeming it ties it to your Microsoft account.
            - You need Windows 10, Windows 11 or a recent macOS.
            - Uninstall any preinstalled Microsoft 365 trial or older Office first, so that the two do not clash at activation.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the 25-character product key.
            2. Open [setup.office.com](https://setup.office.com) and sign in with your Microsoft account (you can create one for free).
            3. Paste the product key, choose your country or region and language, and click "Next". The key is now tied to this account.
            4. Open the [services & subscriptions page of your Microsoft account](https://account.microsoft.com/services), click "Install" next to Office 2021 Home & Student, and run the installer.
            5. When it is installed, open Word and sign in with the **same** Microsoft account: Office activates itself.

            ## Common errors

            | Message | What to do |
            |---|---|
            | This product key has already been used | If you redeemed it yourself, just install from your account page; if not, take a screenshot and report it. |
            | This key is not available in your country or region | Contact after-sales with a screenshot and we verify which region the key is for. |
            | Still "Activation required" after installing | Make sure Office is signed in with the Microsoft account you redeemed the key with, and uninstall other Office versions. |
            """),

        Tutorial("IQIYI-VIP-M", "爱奇艺黄金会员月卡激活教程", "How to activate iQIYI Gold VIP (1 month)",
            """
            爱奇艺黄金会员月卡，激活后可以在手机、平板和电脑上观看会员内容、跳过广告，时长 **1 个月**。

            ## 激活前请确认

            - 只适用于中国大陆的爱奇艺账号，不能用于爱奇艺国际版。
            - 黄金会员**不支持电视端**观看，电视端需要星钻会员。
            - 如果账号已有会员，新的时长会叠加在原到期时间之后。

            ## 激活步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制激活码。
            2. 打开爱奇艺 App，登录要开通会员的账号。
            3. 进入 **我的 → VIP 会员中心**，找到「激活码兑换」（电脑上可在爱奇艺官网的会员中心找到同名入口）。
            4. 粘贴激活码，完成验证后点击「立即兑换」。
            5. 回到「我的」页面，查看会员到期时间是否已经更新。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 激活码不存在 | 检查复制是否完整、有没有多余空格。 |
            | 激活码已被使用 | 查看账号的会员开通记录，确认是否已经兑换；如果没有，请截图后提交售后。 |
            | 当前账号不支持兑换 | 可能登录的是国际版账号，请用中国大陆账号兑换。 |
            """,
            """
            iQIYI Gold VIP for **1 month**: members-only shows and no ads on phones, tablets and computers.

            ## Before you activate

            - It is for iQIYI accounts in mainland China, not for the iQIYI international app.
            - Gold VIP **does not cover TVs**; watching on a TV needs the Diamond membership.
            - If the account is already a member, the month is added after the current expiry date.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the activation code.
            2. Open the iQIYI app and sign in to the account that should get the membership.
            3. Go to **Me → VIP centre** and find "Redeem activation code" (on a computer, the same entry is in the VIP centre of the iQIYI website).
            4. Paste the code, complete the check and tap "Redeem now".
            5. Back on the "Me" page, check that the membership expiry date has moved.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Activation code does not exist | Check that you copied the whole code without extra spaces. |
            | Activation code already used | Check the account's membership history in case it was redeemed; if not, take a screenshot and report it. |
            | This account cannot redeem codes | You may be signed in to an international account; use a mainland China account. |
            """),

        Tutorial("QQMUSIC-GREEN-Y", "QQ音乐绿钻年卡兑换教程", "How to redeem QQ Music Green Diamond (12 months)",
            """
            QQ音乐绿钻年卡，兑换后获得 **12 个月**绿钻会员：畅听会员曲库、下载高品质音乐。

            ## 兑换前请确认

            - QQ音乐的 **QQ 登录和微信登录是两个不同的账号**，会员不互通。请先确认要开通的是哪一个。
            - 兑换到某个账号的时长无法转移到其他账号。
            - 如果账号已有绿钻，新的时长会叠加在原到期时间之后。
            - 部分歌曲受版权限制，在中国大陆以外地区可能无法播放。

            ## 兑换步骤

            1. 在 CardMall 的 **订单详情** 页点击「查看卡密」，复制兑换码。
            2. 打开 QQ音乐 App，确认当前登录的账号（QQ 或微信）就是要开通会员的账号。
            3. 进入 **我的 → 会员中心**，找到「兑换码兑换」。
            4. 粘贴兑换码，点击「兑换」。
            5. 在会员中心查看绿钻到期时间是否已经延长 12 个月。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 兑换码错误 | 检查复制是否完整、有没有多余空格，注意区分大小写。 |
            | 兑换码已被使用 | 在会员中心的开通记录中确认是否已经兑换；如果没有，请截图后提交售后。 |
            | 兑换到了另一个账号 | 时长无法转移，这不属于卡密问题，请兑换前确认登录方式。 |
            """,
            """
            QQ Music Green Diamond for **12 months**: the members' catalogue and high-quality downloads.

            ## Before you redeem

            - In QQ Music, **signing in with QQ and signing in with WeChat are two different accounts**, and memberships do not carry over. Decide which one should get it first.
            - Time redeemed on one account cannot be moved to another.
            - If the account already has Green Diamond, the 12 months are added after the current expiry date.
            - Some songs are licensed for mainland China only and may not play elsewhere.

            ## Steps

            1. On your CardMall **order page**, click "Reveal key" and copy the code.
            2. Open the QQ Music app and check that you are signed in (with QQ or WeChat) to the account that should get the membership.
            3. Go to **Me → Membership centre** and find "Redeem code".
            4. Paste the code and tap "Redeem".
            5. Check in the membership centre that the Green Diamond expiry date has moved 12 months on.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Wrong code | Check that you copied the whole code without extra spaces; letter case matters. |
            | Code already used | Check the membership history in case it was redeemed; if not, take a screenshot and report it. |
            | Redeemed on the other account | The time cannot be moved, and this is not a key fault: check how you are signed in before redeeming. |
            """),

        Tutorial("CARDMALL-PLUS-M", "CardMall Plus 会员月卡兑换教程", "How to redeem a CardMall Plus membership (1 month)",
            """
            CardMall Plus 是本站自己的会员服务，会员月卡**直接在 CardMall 兑换**，不需要去其他平台。会员权益以商品页说明为准。

            ## 兑换前请确认

            - 会员码只能在 CardMall 使用，会兑换到**当前登录的 CardMall 账户**，不能转给其他账户。
            - 会员时长 1 个月，从兑换时开始计算；已是会员时，时长会顺延。
            - 会员码需要在商品页购买须知写明的有效期内兑换。

            ## 兑换步骤

            1. 登录 CardMall，打开 **我的订单 → 订单详情**，点击「查看卡密」并复制会员码。
            2. 打开 [兑换会员码](/Redeem) 页面（也可以点右上角的账户菜单 →「兑换会员码」）。
            3. 粘贴会员码，点击「兑换」。
            4. 页面显示「兑换成功」，会员即已生效。

            ## 常见错误与处理

            | 提示 | 怎么办 |
            |---|---|
            | 会员码无效 | 检查复制是否完整。会员码只能在 CardMall 兑换，在其他平台输入会提示无效。 |
            | 会员码已经兑换过了 | 确认是否已经在自己或家人的账户上兑换过；如果都没有，请截图后提交售后。 |
            | 会员码已过期 | 请截图联系售后，我们会根据订单和发放记录核实处理。 |
            """,
            """
            CardMall Plus is our own membership. The monthly code is **redeemed on CardMall itself**; no other platform is involved. The benefits are described on the product page.

            ## Before you redeem

            - The code works only on CardMall and is redeemed to **the CardMall account you are signed in to**; it cannot be given to another account.
            - The membership lasts 1 month from redemption; if you are already a member, it is extended.
            - Redeem the code within the validity period stated in the product's notices.

            ## Steps

            1. Sign in to CardMall, open **My orders → order page**, click "Reveal key" and copy the membership code.
            2. Open the [Redeem a membership code](/Redeem) page (also in the account menu at the top right → "Redeem a code").
            3. Paste the code and click "Redeem".
            4. The page says "Redeemed", and your membership is active.

            ## Common errors

            | Message | What to do |
            |---|---|
            | Invalid code | Check that you copied the whole code. Membership codes only work on CardMall; other platforms reject them. |
            | Code already redeemed | Check whether it was redeemed on your own or a family member's account; if not, take a screenshot and report it. |
            | Code expired | Contact after-sales with a screenshot; we check your order and the delivery record. |
            """),

        new DemoArticle("faq-key-not-received", ArticleKind.Faq, null,
            new ArticleText("付款后没有收到卡密怎么办？",
                """
                CardMall 的卡密在付款成功后**立即发放**，显示在订单详情页，不会通过短信或邮件发送。如果没有看到卡密，请按下面的顺序检查。

                ## 先自己检查

                1. 确认登录的是下单时用的账号。
                2. 打开 **我的订单**，找到这笔订单，进入订单详情，点击「查看卡密」。
                3. 刷新页面。网络较慢时，订单页可能需要几秒钟才会更新。
                4. 查看钱包流水，确认这笔购买是否已经扣款。余额充值还在处理中时，订单不会生成。

                ## 已扣款但没有卡密

                请在订单详情页提交售后，问题类型选择 **未收到卡密**，并附上：

                - 订单号；
                - 钱包流水中扣款记录的截图。

                我们会在页面上告诉你预计的回复时间，核实后为你补发卡密或退回余额。

                > 客服不会向你索要账号密码或支付密码，请不要把这些信息发给任何人。
                """),
            new ArticleText("I paid but did not receive my key: what now?",
                """
                CardMall delivers keys **the moment payment succeeds**, on the order page. Keys are not sent by text message or e-mail. If you do not see yours, check the following in order.

                ## Check first

                1. Make sure you are signed in to the account you ordered with.
                2. Open **My orders**, find the order, open it and click "Reveal key".
                3. Refresh the page: on a slow connection the order page can take a few seconds to update.
                4. Check your wallet history to see whether the purchase was charged. While a top-up is still being processed, no order is created.

                ## Charged but no key

                Report it from the order page, choose the problem type **Key not received**, and attach:

                - the order number;
                - a screenshot of the charge in your wallet history.

                The page tells you when to expect our reply; once we have checked, we deliver the key or return the money to your wallet.

                > Our staff will never ask for your account password or payment password. Do not send them to anyone.
                """)),

        new DemoArticle("faq-key-invalid", ArticleKind.Faq, null,
            new ArticleText("卡密提示无效或已被使用怎么办？",
                """
                大多数「卡密无效」是兑换平台、地区或输入方式不对造成的，几步就能排除。确实是卡密问题时，我们负责补发或退款。

                ## 先排查这几项

                1. **看使用教程**：在帮助中心找到商品对应的使用教程，确认兑换平台和入口是否正确。
                2. **看地区和版本**：例如国服和国际服、人民币钱包和其他币种，商品页的购买须知写明了适用范围。
                3. **用复制按钮**：不要手动输入，注意有没有多复制空格，或把 0 和 O、1 和 I 看混。
                4. **确认没有兑换过**：查看你在兑换平台的充值或兑换记录，有时其实已经兑换成功了。

                ## 仍然不行，请提交售后

                在订单详情页对这张卡密点击「提交售后」，问题类型选择 **卡密无效** 或 **卡密已被使用**，并上传：

                - 兑换平台**完整的错误提示截图**（能看到提示文字和时间）；
                - 你使用的设备和兑换方式（如「Steam 客户端」「原神游戏内」）。

                我们会核验交易记录、卡密状态和供应商记录，确认是卡密问题后立即补发或退款。详见 [退款与售后政策](/Help/refund-policy)。

                > 请不要把卡密发到公开的群聊或论坛，以免被他人抢先兑换。
                """),
            new ArticleText("My key says invalid or already used: what now?",
                """
                Most "invalid key" messages come from the wrong platform, the wrong region or a typing slip, and a few checks rule them out. When the key really is faulty, we replace it or refund you.

                ## Check these first

                1. **Read the tutorial**: find the product's usage tutorial in the help centre and check that you are redeeming on the right platform and page.
                2. **Check region and edition**: for example China versus global servers, or a CNY wallet versus another currency. The product's notices state what it is for.
                3. **Use the copy button**: do not type the key by hand; watch for extra spaces and for 0/O or 1/I mix-ups.
                4. **Make sure you have not redeemed it already**: check your top-up or redemption history on the platform; sometimes it did go through.

                ## Still not working? Report it

                On the order page, click "Report a problem" next to the key, choose **Key invalid** or **Key already used**, and attach:

                - a **screenshot of the full error message** on the platform (with the message text and the time);
                - the device and the way you redeemed it (for example "Steam client" or "in Genshin Impact").

                We verify the transaction, the key's status and the supplier's records, and once the key is confirmed faulty we replace or refund it straight away. See the [refund and after-sales policy](/Help/refund-policy).

                > Never post a key in a public group chat or forum: someone else may redeem it first.
                """)),

        new DemoArticle("refund-policy", ArticleKind.Policy, null,
            new ArticleText("退款与售后政策",
                """
                卡密类商品是虚拟商品，发放后可以被复制，无法收回。因此 CardMall 的售后以**核验卡密、解决问题**为主：卡密有问题，我们负责到底；卡密没有问题，则不支持退款。

                ## 虚拟商品不支持七天无理由退货

                卡密在付款成功并显示在订单中时即视为已交付。根据相关规定，此类商品**不适用七天无理由退货**。购买前请仔细阅读商品页的购买须知（有效期、地区、设备绑定等）。

                ## 可以补发或退款的情况

                | 情况 | 处理方式 |
                |---|---|
                | 卡密无效，或显示已被使用但你没有兑换过 | 核验后补发同款卡密；无库存时退款 |
                | 卡密与商品描述不符（面值、地区、版本） | 核验后补发或退款 |
                | 已扣款但没有收到卡密 | 核验后补发或退回余额 |

                退款一律退回你的 **CardMall 钱包余额**。

                ## 不支持退款的情况

                - 买错商品、不想要了，或已经成功兑换；
                - 账号的地区或版本与商品页写明的适用范围不符；
                - 兑换到了错误的账号；
                - 账号被封禁、冻结等账号本身的原因导致无法使用。

                ## 如何申请

                1. 打开 **我的订单 → 订单详情**，在有问题的卡密旁点击「提交售后」。
                2. 选择问题类型，写明情况，并上传**错误提示的截图**。
                3. 提交后，页面会显示预计的回复和解决时间，处理进度会通知你。

                我们会核验交易记录、卡密的查看记录和状态，以及供应商的记录。确认是卡密问题的，**优先补发**；你也可以选择退款。发现问题后请尽早提交，时间越久，供应商越难核验。
                """),
            new ArticleText("Refund and after-sales policy",
                """
                Keys are virtual goods: once delivered they can be copied and cannot be taken back. So after-sales at CardMall means **verifying the key and solving the problem**: if a key is faulty, we take care of it; if it is not, we do not refund it.

                ## No 7-day no-reason returns for virtual goods

                A key counts as delivered once payment succeeds and it appears in your order. Under the applicable rules, goods of this kind are **not eligible for 7-day no-reason returns**. Please read the product's notices (validity period, regions, device binding) before you buy.

                ## When we replace or refund

                | Case | What we do |
                |---|---|
                | The key is invalid, or shows as used although you never redeemed it | Replace it with a key of the same product after verification; refund if none is in stock |
                | The key does not match the product description (value, region, edition) | Replace or refund after verification |
                | You were charged but received no key | Deliver the key or return the money after verification |

                Refunds always go back to your **CardMall wallet**.

                ## When we do not refund

                - You bought the wrong product, changed your mind, or already redeemed the key;
                - your account's region or edition does not match what the product page states;
                - you redeemed the key on the wrong account;
                - the account itself cannot use it, for example because it is banned or frozen.

                ## How to report a problem

                1. Open **My orders → order page** and click "Report a problem" next to the key.
                2. Choose the problem type, describe what happened and upload a **screenshot of the error message**.
                3. After you submit, the page shows when to expect our reply and a resolution, and you are notified as it progresses.

                We verify the transaction, when the key was revealed and its status, and the supplier's records. When the key is confirmed faulty we **replace it first**; you may choose a refund instead. Please report problems early: the longer you wait, the harder it is for the supplier to verify.
                """)),

        // Pushed to buyers after they buy a membership (Product.GuideArticleId; DemoCatalog links it), once each.
        new DemoArticle(MembershipGuideSlug, ArticleKind.Tutorial, null,
            new ArticleText("会员账号安全设置指南",
                """
                视频、音乐会员充值后，会员权益绑定在**你自己的账号**上。账号一旦被别人登录，会员时长、观看记录和绑定的支付方式都可能受到影响。请花两分钟完成下面几项设置。

                ## 充值后马上做

                1. **修改密码**：使用至少 8 位、包含字母和数字、与其他网站不同的密码。
                2. **开启登录保护**：在账号的「安全中心」中开启短信验证或设备锁，新设备登录时需要验证。
                3. **检查已登录设备**：在「设备管理」中移除不认识的设备。会员通常限制同时在线的设备数，陌生设备会占用你的名额。
                4. **关闭自动续费**（如不需要）：卡密充值不会自动续费，但账号中绑定的支付方式可能会。

                ## 不要做的事

                - 不要把账号借给他人，或在「共享会员」「低价代充」群里登录你的账号。
                - 不要把卡密或验证码发给任何人，CardMall 客服**不会**向你索要验证码。
                - 不要在公共电脑上勾选「记住密码」。

                ## 发现异常怎么办

                如果看到陌生设备、会员时长异常减少，请立即修改密码并移除所有设备，然后在 CardMall 订单页提交售后，附上截图，我们会协助你联系平台核实。
                """),
            new ArticleText("Keeping your membership account safe",
                """
                A video or music membership is added to **your own account**. If someone else signs in to it, your membership time, viewing history and saved payment methods are at risk. Two minutes with the settings below keep it yours.

                ## Right after you redeem

                1. **Change the password**: at least 8 characters with letters and digits, and not used on any other site.
                2. **Turn on sign-in protection**: in the account's security centre, turn on text-message verification or device lock, so a new device must be confirmed.
                3. **Check signed-in devices**: remove any device you do not recognise. Memberships usually limit how many devices may be online at once, and a stranger's device uses one of yours.
                4. **Turn off auto-renewal** if you do not want it: a redeemed key never renews, but a payment method saved in the account may.

                ## Things not to do

                - Do not lend the account, or sign in to it in "shared membership" or "cheap top-up" groups.
                - Never send a key or a verification code to anyone. CardMall support will **never** ask you for a verification code.
                - Do not tick "remember me" on a shared computer.

                ## If something looks wrong

                If you see a device you do not know or your membership time drops, change the password at once and remove all devices, then report it from your CardMall order page with a screenshot. We help you take it up with the platform.
                """)),
    ];

    private const string AfterSalesZh = """


        ## 仍然无法使用？

        请在 CardMall 的 **订单详情** 页，对这张卡密点击「提交售后」，选择问题类型，并上传**完整的错误提示截图**（能看到提示文字和时间）。我们会核验卡密状态和供应商记录，确认是卡密问题后为你补发或退款，详见 [退款与售后政策](/Help/refund-policy)。
        """;

    private const string AfterSalesEn = """


        ## Still not working?

        On your CardMall **order page**, click "Report a problem" next to the key, choose the problem type and upload a **screenshot of the full error message** (with the message text and the time). We verify the key's status and the supplier's records, and replace or refund the key once it is confirmed faulty. See the [refund and after-sales policy](/Help/refund-policy).
        """;

    /// <summary>A product's tutorial, ending with the same after-sales advice as every other tutorial.</summary>
    private static DemoArticle Tutorial(string sku, string titleZh, string titleEn, string bodyZh, string bodyEn) =>
        new(Article.TutorialSlugFor(sku), ArticleKind.Tutorial, sku,
            new ArticleText(titleZh, bodyZh + AfterSalesZh), new ArticleText(titleEn, bodyEn + AfterSalesEn));

    internal sealed record DemoArticle(string Slug, ArticleKind Kind, string? ProductSku, ArticleText Chinese, ArticleText English);
}
