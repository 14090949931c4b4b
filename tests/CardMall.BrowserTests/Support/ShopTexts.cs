namespace CardMall.BrowserTests.Support;

/// <summary>
/// The words a visitor reads, copied from SharedResource(.en).resx on purpose: if a translation goes
/// missing (the page shows a resource key) or the wrong language is served, the tests notice.
/// </summary>
public sealed record ShopTexts(
    string Locale,
    string HtmlLang,
    string RegisterHeading,
    string RegisterButton,
    string SignInHeading,
    string SignInButton,
    string SignInLink,
    string SignOut,
    string Email,
    string DisplayName,
    string Password,
    string ConfirmPassword,
    string HeroTitle,
    string AccessDenied)
{
    public static ShopTexts Chinese { get; } = new(
        Locale: "zh-CN",
        HtmlLang: "zh-CN",
        RegisterHeading: "注册账户",
        RegisterButton: "注册",
        SignInHeading: "登录",
        SignInButton: "登录",
        SignInLink: "登录",
        SignOut: "退出登录",
        Email: "邮箱",
        DisplayName: "昵称",
        Password: "密码",
        ConfirmPassword: "确认密码",
        HeroTitle: "正版卡密，秒速到账，出问题有人管",
        AccessDenied: "无权访问");

    public static ShopTexts English { get; } = new(
        Locale: "en-US",
        HtmlLang: "en-US",
        RegisterHeading: "Create an account",
        RegisterButton: "Create account",
        SignInHeading: "Sign in",
        SignInButton: "Sign in",
        SignInLink: "Sign in",
        SignOut: "Sign out",
        Email: "E-mail",
        DisplayName: "Display name",
        Password: "Password",
        ConfirmPassword: "Confirm password",
        HeroTitle: "Genuine keys, delivered instantly, and someone to take care of you",
        AccessDenied: "Access denied");
}
