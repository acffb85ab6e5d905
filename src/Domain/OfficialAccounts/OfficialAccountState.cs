namespace CleanChat.Domain.OfficialAccounts;

public enum OfficialAccountState
{
    Unspecified = 0,
    Active = 1,
    Destroyed = 2,
}
