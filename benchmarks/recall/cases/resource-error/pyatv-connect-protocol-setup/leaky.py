"""Connect to an Apple TV over every protocol it advertises."""
import aiohttp


class ClientSessionManager:
    def __init__(self, session, should_close):
        self._session = session
        self._should_close = should_close

    @property
    def session(self):
        return self._session

    async def close(self):
        if self._should_close:
            await self._session.close()


async def create_session(session=None):
    if session is None:
        return ClientSessionManager(aiohttp.ClientSession(), True)
    return ClientSessionManager(session, False)


class FacadeAppleTV:
    def __init__(self, config, session_manager):
        self.config = config
        self.session_manager = session_manager
        self._protocols = []

    def add_protocol(self, setup_data):
        self._protocols.append(setup_data)

    async def connect(self):
        for setup_data in self._protocols:
            await setup_data.connect()


async def connect(config, loop, protocol_setups, session=None):
    if not config.services:
        raise ValueError("no service to connect to")
    session_manager = await create_session(session)  # leak
    atv = FacadeAppleTV(config, session_manager)
    for proto, setup in protocol_setups.items():
        service = config.get_service(proto)
        if service is None:
            continue
        for setup_data in setup(loop, config, service, atv, session_manager):
            atv.add_protocol(setup_data)
    try:
        await atv.connect()
    except Exception:
        await session_manager.close()
        raise
    return atv
