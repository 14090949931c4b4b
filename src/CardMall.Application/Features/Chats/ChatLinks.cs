namespace CardMall.Application.Features.Chats;

/// <summary>Where a chat is opened in the browser (the buyer's chat page; the agent console).</summary>
public static class ChatLinks
{
    public static string Buyer(Guid chatId) => "/Chats/" + chatId;

    public static string Staff(Guid chatId) => "/Admin/Chats/" + chatId;
}
